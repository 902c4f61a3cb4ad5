namespace ImageManager.Contracts.Vims;

/// <summary>Answer of <c>GET /api/v1/vims/{id}/copies</c>: a page of the VIM's copies by the VIM's image id, and the marker of the next.</summary>
public sealed record VimCopyListResource(string VimId, IReadOnlyList<VimCopyResource> Copies, string? Next);

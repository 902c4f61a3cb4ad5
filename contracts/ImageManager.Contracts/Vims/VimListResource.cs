namespace ImageManager.Contracts.Vims;

/// <summary>Answer of <c>GET /api/v1/vims</c>: a page of VIMs in id order, and the marker of the next (null on the last).</summary>
public sealed record VimListResource(IReadOnlyList<VimResource> Vims, string? Next);

namespace ImageManager.Api.Downstream;

/// <summary>A named VIM whose type does not take the image, and why (in words for the caller).</summary>
public sealed record RefusedVim(string VimId, string VimType, string Reason);

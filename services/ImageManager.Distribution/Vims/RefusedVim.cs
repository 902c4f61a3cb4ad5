namespace ImageManager.Distribution.Vims;

/// <summary>A named VIM whose type does not take the image to distribute, and why.</summary>
public sealed record RefusedVim(string VimId, string VimType, string Reason);

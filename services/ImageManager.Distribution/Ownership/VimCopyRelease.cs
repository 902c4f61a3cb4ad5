namespace ImageManager.Distribution.Ownership;

/// <summary>What becomes of one copy when an image lets go of it: deleted by the caller, or left on the VIM and why.</summary>
public sealed record VimCopyRelease(string VimImageId, bool Delete, string? KeptBecause);

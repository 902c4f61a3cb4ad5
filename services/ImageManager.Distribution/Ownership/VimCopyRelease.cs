namespace ImageManager.Distribution.Ownership;

/// <summary>
/// What becomes of one copy when an image lets go of it (deleted by the caller, or left on the VIM and why), or, for a
/// deactivation, whether the caller deactivates it (<see cref="Delete"/>: Image Manager may act on it).
/// </summary>
public sealed record VimCopyRelease(string VimImageId, bool Delete, string? KeptBecause);

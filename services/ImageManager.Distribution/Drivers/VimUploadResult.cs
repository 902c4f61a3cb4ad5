namespace ImageManager.Distribution.Drivers;

/// <summary>
/// The image is on the VIM: its id there, how many bytes this attempt sent (0 when it was already there), and whether
/// the VIM already held the same bytes under another image of its own (<see cref="AlreadyPresent"/>: nothing was sent,
/// the target is <c>skipped</c>).
/// </summary>
public sealed record VimUploadResult(string VimImageId, long BytesSent, bool AlreadyPresent = false);

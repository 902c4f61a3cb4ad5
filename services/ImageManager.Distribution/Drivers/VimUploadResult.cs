namespace ImageManager.Distribution.Drivers;

/// <summary>The image is on the VIM: its id there, and how many bytes this attempt sent (0 when it was already there).</summary>
public sealed record VimUploadResult(string VimImageId, long BytesSent);

namespace ImageManager.Distribution.Drivers;

/// <summary>The image started leaving the catalogue: no copy of it may be created or adopted any more. The target is cancelled.</summary>
public sealed class ImageWithdrawnException(string message) : Exception(message);

using ImageManager.BlobStorage;

namespace ImageManager.Validation.Packages;

/// <summary>A package's disk image, stored as a blob of its own and found acceptable by the format inspection.</summary>
public sealed record ExtractedImage(CsarImage Source, StoredBlob Blob, string DiskFormat, long? VirtualSizeBytes);

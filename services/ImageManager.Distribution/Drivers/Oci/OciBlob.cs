namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>A blob to have in the repository (a layer or a config): its digest, its size, and the archive file that holds it.</summary>
public sealed record OciBlob(string Digest, long Size, string Path);

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>A manifest or index to put, byte for byte as its digest was computed.</summary>
public sealed record OciManifestDocument(string Digest, string MediaType, byte[] Content);

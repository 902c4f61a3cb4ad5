namespace ImageManager.Oci;

/// <summary>An OCI content descriptor: what a blob is, its digest and its size.</summary>
public sealed record OciDescriptor(string? MediaType, string? Digest, long? Size);

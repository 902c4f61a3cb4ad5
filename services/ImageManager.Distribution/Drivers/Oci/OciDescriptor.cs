namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>An OCI content descriptor as documents carry it.</summary>
public sealed record OciDescriptor(string? MediaType, string? Digest, long? Size);

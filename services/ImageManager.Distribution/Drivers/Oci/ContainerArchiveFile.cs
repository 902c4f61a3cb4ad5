namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>A regular file of a container image archive: its normalised name, length, whether it is gzip data, and its bytes when it is a small JSON document.</summary>
public sealed record ContainerArchiveFile(string Name, long Length, bool Gzip, byte[]? Json);

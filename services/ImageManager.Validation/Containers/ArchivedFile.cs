namespace ImageManager.Validation.Containers;

/// <summary>
/// A file met in a container image archive: its real length and SHA-256 (measured while it streamed by), whether it
/// starts like compressed data, and its bytes when it is a small JSON document (a manifest, a config, an index).
/// </summary>
public sealed record ArchivedFile(string Name, long Length, string Sha256, bool Compressed, ReadOnlyMemory<byte>? Json);

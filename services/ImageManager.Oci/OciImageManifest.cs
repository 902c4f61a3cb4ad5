namespace ImageManager.Oci;

/// <summary>An OCI image manifest; Docker's image manifest v2 reads the same.</summary>
public sealed record OciImageManifest(int? SchemaVersion, string? MediaType, OciDescriptor? Config, IReadOnlyList<OciDescriptor>? Layers);

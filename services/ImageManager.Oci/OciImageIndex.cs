namespace ImageManager.Oci;

/// <summary>An OCI image index (<c>index.json</c>, or a multi-platform index blob); Docker's manifest list reads the same.</summary>
public sealed record OciImageIndex(int? SchemaVersion, string? MediaType, IReadOnlyList<OciDescriptor>? Manifests);

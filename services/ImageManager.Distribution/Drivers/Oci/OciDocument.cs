namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>An image manifest (config, layers) or an index (manifests), as far as pushing needs to read them; Docker's kinds read the same.</summary>
public sealed record OciDocument(string? MediaType, OciDescriptor? Config, IReadOnlyList<OciDescriptor>? Layers, IReadOnlyList<OciDescriptor>? Manifests);

using System.Text.Json.Serialization;

namespace ImageManager.Oci;

/// <summary>An image's layers as digests of their uncompressed tars, bottom first.</summary>
public sealed record ImageRootFs(string? Type, [property: JsonPropertyName("diff_ids")] IReadOnlyList<string>? DiffIds);

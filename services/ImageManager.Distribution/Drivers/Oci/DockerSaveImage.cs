namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>One image of <c>docker save</c>'s <c>manifest.json</c>: archive paths of its config and layers.</summary>
public sealed record DockerSaveImage(string? Config, IReadOnlyList<string>? Layers);

namespace ImageManager.Oci;

/// <summary>One image in <c>docker save</c>'s <c>manifest.json</c>: paths inside the archive to its config and its layers.</summary>
public sealed record DockerSaveImage(string? Config, IReadOnlyList<string>? RepoTags, IReadOnlyList<string>? Layers);

namespace ImageManager.Validation.Containers;

/// <summary>
/// What a container image archive was found to be (one of <see cref="ContainerLayouts"/>, null when not even that), every
/// reason to refuse it (empty when acceptable), and for an acceptable one the digests a registry push would use: the
/// manifests (for a plain docker save archive, the image ids) and the layers.
/// </summary>
public sealed record ContainerInspection(string? Layout, IReadOnlyList<string> Problems, IReadOnlyList<string> ManifestDigests, IReadOnlyList<string> LayerDigests)
{
    public bool Acceptable => Problems.Count == 0;

    public static ContainerInspection Refused(string problem, string? layout = null) => new(layout, [problem], [], []);
}

namespace ImageManager.Validation.Checks;

/// <summary>
/// The result of the container image check: passed or not, why not, and for a verified image what the archive is and the
/// digests a registry push would use (manifests, or for a plain docker save archive the image ids, and the layers).
/// </summary>
public sealed record ContainerImageVerdict(bool Passed, string? Reason, string? Layout, IReadOnlyList<string> ManifestDigests, IReadOnlyList<string> LayerDigests)
{
    public static ContainerImageVerdict Pass(string layout, IReadOnlyList<string> manifestDigests, IReadOnlyList<string> layerDigests) =>
        new(true, null, layout, manifestDigests, layerDigests);

    public static ContainerImageVerdict Fail(string reason) => new(false, reason, null, [], []);
}

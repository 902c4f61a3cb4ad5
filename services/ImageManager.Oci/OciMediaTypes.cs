namespace ImageManager.Oci;

/// <summary>
/// The media types of the documents that name other blobs (the four manifest kinds), and those a registry is told about
/// for what a docker save archive and a Helm chart become: Docker's config and layer types, and a chart's.
/// </summary>
public static class OciMediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerGzipLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>A Helm chart as an OCI artifact (Helm 3.8+, HIP-0017): the config is its Chart.yaml as JSON, the one layer its .tgz.</summary>
    public const string HelmConfig = "application/vnd.cncf.helm.config.v1+json";
    public const string HelmChartContent = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    /// <summary>Every manifest kind, for <c>Accept</c>: a registry may otherwise convert what it serves by tag.</summary>
    public static readonly string[] Manifests = [OciManifest, OciIndex, DockerManifest, DockerManifestList];

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;
}

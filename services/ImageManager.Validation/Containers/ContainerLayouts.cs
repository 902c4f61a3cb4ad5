namespace ImageManager.Validation.Containers;

/// <summary>What a container image archive was found to be (carried as <c>ImageValidated.DetectedType</c>).</summary>
public static class ContainerLayouts
{
    /// <summary><c>docker save</c>: <c>manifest.json</c> naming each image's config and layer files.</summary>
    public const string DockerSave = "docker-save";

    /// <summary>An OCI image layout: <c>oci-layout</c>, <c>index.json</c> and content-addressed <c>blobs/</c>.</summary>
    public const string OciLayout = "oci-layout";

    /// <summary>What Docker 25 and later write: a docker save archive that is also an OCI image layout.</summary>
    public const string DockerSaveWithOciLayout = "docker-save+oci-layout";
}

namespace ImageManager.Validation.Checks;

/// <summary>The kinds of image the catalogue accepts; each has its own content check.</summary>
public static class ImageKinds
{
    public const string VmImage = "vm-image";
    public const string ContainerImage = "container-image";
    public const string SoftwarePackage = "software-package";
}

namespace ImageManager.Contracts.Images;

/// <summary>
/// The kinds of image the catalogue accepts (<c>ImageValidated.Kind</c>): Validation checks each its own way, and each
/// VIM type takes only some of them.
/// </summary>
public static class ImageKinds
{
    public const string VmImage = "vm-image";
    public const string ContainerImage = "container-image";
    public const string SoftwarePackage = "software-package";
}

namespace ImageManager.Contracts;

/// <summary>
/// Where each command is sent: commands have one owner, whose queue is named here so that every sender and the
/// owner agree. Events are published and need no address.
/// </summary>
public static class CommandQueues
{
    /// <summary><see cref="Images.ImportImage"/>, consumed by the Api.</summary>
    public const string ImportImage = "import-image";

    /// <summary><see cref="Images.AssembleImageUpload"/>, consumed by the Api.</summary>
    public const string AssembleImageUpload = "assemble-image-upload";

    /// <summary><see cref="Distributions.UploadImageToVim"/>, consumed by the Distribution service.</summary>
    public const string UploadImageToVim = "upload-image-to-vim";

    /// <summary><see cref="Distributions.UploadImageToVims"/>, consumed by the Distribution service.</summary>
    public const string UploadImageToVims = "upload-image-to-vims";

    /// <summary><see cref="Distributions.RemoveImageFromVims"/>, consumed by the Distribution service.</summary>
    public const string RemoveImageFromVims = "remove-image-from-vims";

    /// <summary><see cref="Distributions.RemoveImageFromVim"/>, one target of a removal, consumed by the Distribution service.</summary>
    public const string RemoveImageFromVim = "remove-image-from-vim";

    /// <summary><see cref="Distributions.DeactivateImageOnVim"/>, one target of a deactivation, consumed by the Distribution service.</summary>
    public const string DeactivateImageOnVim = "deactivate-image-on-vim";

    /// <summary><see cref="Recalls.StartRecall"/>, consumed by the Distribution service.</summary>
    public const string StartRecall = "start-recall";
}

using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// What distribution needs of a kind of VIM. Throw <see cref="VimTransientException"/> when trying again later
/// may succeed, <see cref="VimRejectedException"/> when it will not.
/// </summary>
public interface IVimDriver
{
    /// <summary>The VIM type this driver serves, as in <see cref="Vim.Type"/>.</summary>
    string VimType { get; }

    /// <summary>
    /// Whether this VIM type holds images of <paramref name="kind"/> (for a software package, of the type Validation
    /// detected, e.g. <c>helm-chart</c>). Asked before any target is made and again before any byte is sent.
    /// </summary>
    bool Takes(string kind, string? detectedType);

    /// <summary>What <see cref="Takes"/> accepts, in words for a refusal: "VM images".</summary>
    string Holds { get; }

    /// <summary>Makes the image present on the VIM and proves it by the VIM's own hash of the bytes.</summary>
    Task<VimUploadResult> EnsurePresentAsync(VimUpload upload, CancellationToken cancellationToken);

    /// <summary>Whether the VIM still holds the image under <paramref name="vimImageId"/> with the image's hash (reconciliation).</summary>
    Task<VimImagePresence> CheckPresentAsync(VimConnection vim, string vimImageId, DistributableImage image, CancellationToken cancellationToken);

    /// <summary>Deletes the image from the VIM; an image the VIM does not have counts as removed.</summary>
    Task RemoveAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken);

    /// <summary>
    /// Null when this VIM type can deactivate an image (<see cref="DeactivateAsync"/>); otherwise why it cannot, in words
    /// for a deactivation's target (which fails with them: the image stays usable there).
    /// </summary>
    string? CannotDeactivate { get; }

    /// <summary>
    /// Deactivates the image on the VIM: it stays there, but the VIM serves it to nobody until it is reactivated. Repeating
    /// it is harmless. False when the VIM has no such image (nothing left to deactivate).
    /// </summary>
    Task<bool> DeactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken);

    /// <summary>Undoes <see cref="DeactivateAsync"/>; false when the VIM has no such image.</summary>
    Task<bool> ReactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken);

    /// <summary>One cheap authenticated call that proves the VIM answers; throws as the calls above do when it does not.</summary>
    Task ProbeAsync(VimConnection vim, CancellationToken cancellationToken);
}

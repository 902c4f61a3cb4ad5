namespace ImageManager.Distribution.Drivers;

/// <summary>
/// What a driver asks before the image comes to rely on a copy on the VIM, so that every copy is recorded before it
/// exists (see <see cref="Ownership.VimCopyLedger"/>). Both throw <see cref="ImageWithdrawnException"/> once the image is
/// leaving the catalogue.
/// </summary>
public interface IVimCopyClaims
{
    /// <summary>
    /// Of the VIM's images that already hold the image's bytes, the one this image may rely on, now recorded as such; or
    /// null, and the driver creates a copy of our own. Another owner's copy is never chosen (its id would tell this
    /// caller what that tenant holds), nor one being removed.
    /// </summary>
    Task<string?> ChooseExistingAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken);

    /// <summary>Records that Image Manager is about to create <paramref name="vimImageId"/> for this image (called before the VIM is asked).</summary>
    Task ClaimAsync(string vimImageId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="vimImageId"/> is a copy Image Manager made for an image of another owning tenant: names are
    /// unique per tenant, so where a VIM finds images by name (a registry's tag) such a copy keeps its name.
    /// </summary>
    Task<bool> IsAnotherOwnersAsync(string vimImageId, CancellationToken cancellationToken);
}

namespace ImageManager.Distribution.Ownership;

/// <summary>
/// A catalogue image relies on a copy on a VIM: the image-VIM location as Distribution owns it. A copy Image Manager
/// created is deleted only when the last reference to it goes.
/// </summary>
public sealed class VimCopyReference
{
    public Guid ImageId { get; set; }
    public required string VimId { get; set; }
    public required string VimImageId { get; set; }

    /// <summary><see cref="Contracts.Distributions.VimCopyOrigins"/>: created for this image, or found there.</summary>
    public required string Origin { get; set; }

    /// <summary>The distribution that made the image rely on the copy.</summary>
    public Guid DistributionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

namespace ImageManager.Distribution.Ownership;

/// <summary>
/// One image on one VIM that Image Manager knows of, under the VIM's own id: made by Image Manager (and for which image),
/// or found there. Written before Image Manager creates it, so that a copy on a VIM is never untracked: a crash, a purge
/// or a failed upload leaves a row that says what may be there.
/// </summary>
public sealed class VimCopy
{
    public required string VimId { get; set; }
    public required string VimImageId { get; set; }

    /// <summary>Image Manager created it; a copy it did not create is never deleted by Image Manager.</summary>
    public bool CreatedByImageManager { get; set; }

    /// <summary>The image Image Manager created it for (null for a copy found there).</summary>
    public Guid? CreatedForImageId { get; set; }

    /// <summary>The owner of the image it was created for: only images of that owner may share it.</summary>
    public string? Owner { get; set; }

    /// <summary><see cref="VimCopyStates"/>.</summary>
    public required string State { get; set; }

    /// <summary>What the VIM said the last time it was asked to delete this copy and did not.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

namespace ImageManager.Contracts.Distributions;

/// <summary>How the copy an image relies on came to be on a VIM; Image Manager deletes only copies it created.</summary>
public static class VimCopyOrigins
{
    /// <summary>Image Manager created this copy for this image.</summary>
    public const string Created = "created";

    /// <summary>
    /// The copy was there already: made by someone else (never deleted by Image Manager), or by Image Manager for another
    /// image of the same owner (deleted only when no image relies on it any more).
    /// </summary>
    public const string Found = "found";
}

namespace ImageManager.Contracts.Distributions;

/// <summary>States of an image-VIM location that are not states of a distribution's target.</summary>
public static class LocationStates
{
    /// <summary>A removal was refused by the VIM (or gave up): the copy is still there, tracked, with the reason; purge again to retry.</summary>
    public const string RemovalFailed = "removal-failed";

    /// <summary>
    /// A deactivation the VIM refused, or that its type cannot do: the copy is still there and still usable, with the reason
    /// (at most 16 characters, as the catalogue's location states).
    /// </summary>
    public const string NotDeactivated = "not-deactivated";
}

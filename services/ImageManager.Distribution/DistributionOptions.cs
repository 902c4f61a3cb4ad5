using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution;

/// <summary>Bound from the <c>Distribution</c> section.</summary>
public sealed class DistributionOptions
{
    public const string Section = "Distribution";

    /// <summary>
    /// Waits between attempts of an upload that failed for a reason that may pass (5xx, 429, timeouts, refused
    /// connections). Their count is the number of retries; a target is <c>failed</c> only after the last one.
    /// </summary>
    /// Empty in configuration means <see cref="DefaultRetryIntervals"/> (configuration binding appends to an array
    /// rather than replacing it, so the default cannot live in the initializer).
    public TimeSpan[] RetryIntervals { get; set; } = [];

    public static TimeSpan[] DefaultRetryIntervals { get; } =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)];

    /// <summary>Longest one upload attempt to one VIM may take.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Uploads in flight at once in this process, across all VIMs.</summary>
    [Range(1, 256)]
    public int ConcurrentUploads { get; set; } = 16;
}

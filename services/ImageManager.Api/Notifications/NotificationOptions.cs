using System.ComponentModel.DataAnnotations;

namespace ImageManager.Api.Notifications;

/// <summary>How subscribers' messages are kept and handed out. Bound from the <c>Notifications</c> section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>How long a message waits for a consumer group that does not poll; older ones are dropped (7 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most this many messages wait per consumer group; beyond it the oldest are dropped (100,000).</summary>
    [Range(100, 10_000_000)]
    public int MaxWaitingPerGroup { get; set; } = 100_000;

    /// <summary>A consumer group nobody polls for this long is forgotten, with what waits for it (30 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ForgetIdleGroupsAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The longest long-poll a subscriber may ask for (<c>timeout</c>, 60 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan MaxPollTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

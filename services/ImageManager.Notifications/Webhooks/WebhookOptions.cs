using System.ComponentModel.DataAnnotations;

namespace ImageManager.Notifications.Webhooks;

/// <summary>How webhooks are delivered. Bound from the <c>Webhooks</c> section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How long a subscriber has to answer one delivery; a slower answer counts as a failed attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a first failed attempt; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts at one delivery before it is given up as failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Failed attempts in a row, over all of a subscription's deliveries, after which it is suspended.</summary>
    [Range(1, 10_000)]
    public int SuspendAfterFailures { get; set; } = 20;

    /// <summary>Deliveries in flight at once, per replica.</summary>
    [Range(1, 1024)]
    public int Concurrency { get; set; } = 16;

    /// <summary>How often due retries are looked for when nothing new arrives (new events are sent at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long events and delivery records are kept, delivered or not (a suspended subscriber's too).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often each replica makes the intake's bindings match the subscriptions again. Every subscription change already
    /// does at once; this repairs what a change could not finish (the broker away just after a deletion).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BindingsCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether subscriber URLs may reach loopback, private, link-local and unique-local addresses. Off by default, so that a
    /// subscription cannot make Image Manager call the services inside its own network; on for a single-machine install.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}

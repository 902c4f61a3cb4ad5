namespace ImageManager.Notifications.Webhooks;

/// <summary>One notification to one subscription: its state and what its attempts met.</summary>
public sealed class Delivery
{
    public Guid Id { get; set; }

    /// <summary>Insertion order, for paging the list; not shown.</summary>
    public long Sequence { get; set; }
    public Guid SubscriptionId { get; set; }
    public required string EventId { get; set; }
    public required string EventType { get; set; }

    /// <summary>What the event is about (the CloudEvent subject: an image or distribution id).</summary>
    public string? EventSubject { get; set; }
    public string State { get; set; } = DeliveryStates.Pending;
    public int Attempts { get; set; }

    /// <summary>The HTTP status of the last attempt; null when there was no answer.</summary>
    public int? LastStatus { get; set; }

    /// <summary>Why the last attempt failed, as a person would read it.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>When it is next tried; while an attempt is under way, when the attempt counts as lost and is tried again.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

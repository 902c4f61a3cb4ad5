namespace ImageManager.Notifications.Webhooks;

/// <summary>A due delivery this replica has taken (its next attempt moved past the attempt's end, so no other takes it).</summary>
public sealed class ClaimedDelivery
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public required string EventId { get; init; }
    public int Attempts { get; init; }
}

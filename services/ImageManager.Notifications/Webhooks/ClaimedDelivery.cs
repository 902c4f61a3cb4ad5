namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// A due delivery this replica has taken (its next attempt moved past the attempt's end, so no other takes it), with what
/// sending it needs: the subscription's URL and protected secret and the event's body, read by the claim itself.
/// </summary>
public sealed class ClaimedDelivery
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public required string EventId { get; init; }
    public int Attempts { get; init; }
    public required string Url { get; init; }
    public required string ProtectedSecret { get; init; }
    public required byte[] Body { get; init; }
}

using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Subscriptions;

public sealed record DeliveryResource(
    Guid Id, string EventId, string EventType, string? EventSubject, string State, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt)
{
    public static DeliveryResource From(Delivery d) =>
        new(d.Id, d.EventId, d.EventType, d.EventSubject, d.State, d.Attempts, d.LastStatus, d.LastError, d.CreatedAt, d.LastAttemptAt,
            d.State == DeliveryStates.Pending ? d.NextAttemptAt : null, d.DeliveredAt);
}

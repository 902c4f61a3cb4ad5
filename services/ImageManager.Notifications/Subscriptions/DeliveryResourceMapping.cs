using ImageManager.Contracts.Subscriptions;
using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Subscriptions;

/// <summary>How <see cref="DeliveryResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class DeliveryResourceMapping
{
    extension(DeliveryResource)
    {
        public static DeliveryResource From(Delivery d) =>
            new(d.Id, d.EventId, d.EventType, d.EventSubject, d.State, d.Attempts, d.LastStatus, d.LastError, d.CreatedAt, d.LastAttemptAt,
                d.State == DeliveryStates.Pending ? d.NextAttemptAt : null, d.DeliveredAt);
    }
}

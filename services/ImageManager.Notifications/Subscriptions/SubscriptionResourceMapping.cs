using ImageManager.Contracts.Subscriptions;

namespace ImageManager.Notifications.Subscriptions;

/// <summary>How <see cref="SubscriptionResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class SubscriptionResourceMapping
{
    extension(SubscriptionResource)
    {
        public static SubscriptionResource From(Subscription s) =>
            new(s.Id, s.Url, s.Events, s.Description, s.Tenant, s.AllTenants, s.State, s.ConsecutiveFailures, s.SuspendedReason, s.SuspendedAt,
                s.CreatedBy, s.CreatedAt, s.UpdatedAt);
    }
}

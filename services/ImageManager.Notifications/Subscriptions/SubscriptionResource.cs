
namespace ImageManager.Notifications.Subscriptions;

/// <summary>A subscription as the API shows it: never its secret.</summary>
public sealed record SubscriptionResource(
    Guid Id, string Url, string[] Events, string? Description, string Tenant, bool AllTenants, string State,
    int ConsecutiveFailures, string? SuspendedReason, DateTimeOffset? SuspendedAt, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SubscriptionResource From(Subscription s) =>
        new(s.Id, s.Url, s.Events, s.Description, s.Tenant, s.AllTenants, s.State, s.ConsecutiveFailures, s.SuspendedReason, s.SuspendedAt,
            s.CreatedBy, s.CreatedAt, s.UpdatedAt);
}

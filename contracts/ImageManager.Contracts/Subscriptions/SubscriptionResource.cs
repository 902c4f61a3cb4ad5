namespace ImageManager.Contracts.Subscriptions;

/// <summary>A subscription as the API shows it: never its secret.</summary>
public sealed record SubscriptionResource(
    Guid Id, string Url, string[] Events, string? Description, string Tenant, bool AllTenants, string State,
    int ConsecutiveFailures, string? SuspendedReason, DateTimeOffset? SuspendedAt, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

namespace ImageManager.Notifications.Subscriptions;

/// <summary>A webhook: where a tenant's notifications are sent, which ones, and how it is going.</summary>
public sealed class Subscription
{
    public Guid Id { get; set; }

    /// <summary>Insertion order, for paging the list; not shown.</summary>
    public long Sequence { get; set; }
    public required string Url { get; set; }

    /// <summary>CloudEvents types, exact or ending in <c>*</c>; empty: every type.</summary>
    public string[] Events { get; set; } = [];
    public string? Description { get; set; }

    /// <summary>The tenant whose notifications it gets (as its creator's).</summary>
    public required string Tenant { get; set; }

    /// <summary>Made by an operator: gets every tenant's notifications, as an operator's poll does.</summary>
    public bool AllTenants { get; set; }

    /// <summary>The HMAC secret, encrypted with Data Protection; never shown.</summary>
    public required string ProtectedSecret { get; set; }
    public string State { get; set; } = SubscriptionStates.Active;
    public int ConsecutiveFailures { get; set; }
    public string? SuspendedReason { get; set; }
    public DateTimeOffset? SuspendedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

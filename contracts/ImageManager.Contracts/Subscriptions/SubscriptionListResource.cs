namespace ImageManager.Contracts.Subscriptions;

/// <summary>Answer of <c>GET /api/v1/subscriptions</c>: a page of subscriptions, oldest first, and the marker of the next (null on the last).</summary>
public sealed record SubscriptionListResource(IReadOnlyList<SubscriptionResource> Subscriptions, string? Next);

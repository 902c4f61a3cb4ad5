namespace ImageManager.Contracts.Subscriptions;

/// <summary>Answer of <c>GET /api/v1/subscriptions/{id}/deliveries</c>: a page of deliveries, newest first, and the marker of the next.</summary>
public sealed record DeliveryListResource(IReadOnlyList<DeliveryResource> Deliveries, string? Next);

namespace ImageManager.Contracts.Subscriptions;

/// <summary>One delivery of an event to a webhook subscription: its state (pending, delivered, failed), attempts, the last answer and the next try.</summary>
public sealed record DeliveryResource(
    Guid Id, string EventId, string EventType, string? EventSubject, string State, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);

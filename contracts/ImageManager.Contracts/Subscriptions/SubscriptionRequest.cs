namespace ImageManager.Contracts.Subscriptions;

/// <summary>A new subscription, or (PATCH) the members to change: those given replace what there is.</summary>
public sealed record SubscriptionRequest(string? Url, string[]? Events, string? Secret, string? Description);

namespace ImageManager.Notifications.Webhooks;

/// <summary>What one attempt met: delivered (a 2xx), or the status and the reason it was not.</summary>
public sealed record DeliveryOutcome(bool Delivered, int? Status, string? Error);

namespace ImageManager.Notifications.Intake;

/// <summary>A CloudEvent taken from the broker, about to be recorded: what the intake read of it, and its body as it came.</summary>
public sealed record IncomingNotification(string Id, string Type, string? Subject, string? Tenant, byte[] Body);

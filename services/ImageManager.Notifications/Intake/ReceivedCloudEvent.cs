namespace ImageManager.Notifications.Intake;

/// <summary>
/// What the intake reads of a CloudEvent the Api published (the rest of it is kept byte for byte, not parsed): bound
/// by MassTransit's raw JSON deserializer from the message body.
/// </summary>
public sealed record ReceivedCloudEvent
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Subject { get; init; }
    public string? Tenant { get; init; }
}

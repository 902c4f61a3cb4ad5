using System.Text.Json.Serialization;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// What the intake reads of a CloudEvent the Api published (the rest of it is kept byte for byte, not parsed): bound
/// by MassTransit's raw JSON deserializer from the message body, through <see cref="ReceivedCloudEventConverter"/>. A body
/// that is a JSON array is a batch (<see cref="IsBatch"/>), whose events the intake reads from the body itself.
/// </summary>
[JsonConverter(typeof(ReceivedCloudEventConverter))]
public sealed record ReceivedCloudEvent
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Subject { get; init; }
    public string? Tenant { get; init; }

    /// <summary>The body is a JSON array of CloudEvents (CloudEvents' batched format), not one.</summary>
    public bool IsBatch { get; init; }
}

namespace ImageManager.Notifications.Intake;

/// <summary>A notification as it came, kept once for all the deliveries of it (and until its retention ends).</summary>
public sealed class RecordedEvent
{
    /// <summary>The CloudEvent id.</summary>
    public required string Id { get; set; }
    public required string Type { get; set; }
    public string? Tenant { get; set; }

    /// <summary>The CloudEvent JSON, byte for byte what subscribers receive and what is signed.</summary>
    public required byte[] Body { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

using System.Text.Json;

namespace ImageManager.Catalog.Outbox;

/// <summary>
/// An event waiting to be published, saved in the same transaction as the change it tells of: the change and its
/// event are both kept or both lost, never one without the other. The <c>OutboxDispatcher</c> publishes and removes it.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>The full name of the message type, which lives in the contracts assembly.</summary>
    public required string MessageType { get; set; }
    public required string Body { get; set; }

    /// <summary>For a command, the queue it is sent to; null for an event, which is published.</summary>
    public string? Destination { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The dispatcher batch that publishes it; another takes it over once <see cref="ClaimedUntil"/> has passed.</summary>
    public Guid? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }

    public static OutboxMessage For<T>(T message, DateTimeOffset now, string? destination = null)
        where T : class
    {
        return new OutboxMessage { MessageType = typeof(T).FullName!, Body = JsonSerializer.Serialize(message), Destination = destination, CreatedAt = now };
    }
}

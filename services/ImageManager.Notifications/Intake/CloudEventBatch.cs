using System.Text.Json;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// The events of a batch message (CloudEvents' batched format, a JSON array): what the intake reads of each, and each
/// one's bytes exactly as they stand in the array, which are stored, signed and sent as if the event had come alone.
/// </summary>
public static class CloudEventBatch
{
    static readonly ReceivedCloudEventConverter Reader = new();

    /// <summary>The elements of <paramref name="body"/>, a JSON array; throws <see cref="JsonException"/> if it is no valid one.</summary>
    public static List<(ReceivedCloudEvent Event, byte[] Body)> Split(ReadOnlySpan<byte> body)
    {
        var events = new List<(ReceivedCloudEvent, byte[])>();
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A batch of CloudEvents is a JSON array.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var head = Reader.Read(ref reader, typeof(ReceivedCloudEvent), JsonSerializerOptions.Default);
            events.Add((head, body[start..(int)reader.BytesConsumed].ToArray()));
        }

        return events;
    }
}

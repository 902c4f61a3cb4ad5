using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Reads a <see cref="ReceivedCloudEvent"/> from any JSON value, never failing on its shape: an object gives its string
/// attributes (any other kind of value counts as absent, and the intake drops an event without an id or a type), an array
/// marks a batch, anything else gives nothing. MassTransit's deserializer would otherwise fault on a batch's array, and
/// the endpoint discards faulted messages: the batch would be lost before the consumer saw it.
/// </summary>
public sealed class ReceivedCloudEventConverter : JsonConverter<ReceivedCloudEvent>
{
    public override ReceivedCloudEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                reader.Skip();
                return new ReceivedCloudEvent { IsBatch = true };
            case JsonTokenType.StartObject:
                break;
            default:
                reader.Skip();
                return new ReceivedCloudEvent();
        }

        string? id = null, type = null, subject = null, tenant = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
            // As MassTransit's options read names: regardless of case.
            switch (name?.ToLowerInvariant())
            {
                case "id": id = text; break;
                case "type": type = text; break;
                case "subject": subject = text; break;
                case "tenant": tenant = text; break;
            }
        }

        return new ReceivedCloudEvent { Id = id, Type = type, Subject = subject, Tenant = tenant };
    }

    public override void Write(Utf8JsonWriter writer, ReceivedCloudEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("type", value.Type);
        writer.WriteString("subject", value.Subject);
        writer.WriteString("tenant", value.Tenant);
        writer.WriteEndObject();
    }
}

using System.Text.Json.Serialization;

namespace ImageManager.Api.Notifications;

/// <summary>
/// A notification in the CloudEvents 1.0 JSON format (structured mode): the context attributes, the event's own fields
/// as <see cref="Data"/>, and the extension <see cref="Tenant"/>, whose subscribers receive it.
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("tenant")] string? Tenant,
    [property: JsonPropertyName("data")] object Data)
{
    [JsonPropertyName("specversion")]
    public string SpecVersion => "1.0";

    [JsonPropertyName("datacontenttype")]
    public string DataContentType => "application/json";
}

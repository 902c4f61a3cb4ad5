using System.Text.Json;

namespace ImageManager.Notifications.Tests.Intake;

/// <summary>CloudEvents as the Api serialises them (structured mode, the tenant as an extension attribute).</summary>
public static class CloudEventBody
{
    public const string Catalogued = "org.onap.imagemanager.image.catalogued";

    public static byte[] Of(string id, string type, string? tenant, string subject = "an-image") =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            id,
            source = "/imagemanager",
            type,
            subject,
            time = DateTimeOffset.UtcNow,
            tenant,
            data = new { imageId = subject },
            specversion = "1.0",
            datacontenttype = "application/json",
        });

    /// <summary>
    /// The events as one JSON array, as the Api batches them, but laid out with spaces and line breaks between them: each
    /// event's bytes must still be found as they stand.
    /// </summary>
    public static byte[] Batch(params byte[][] events)
    {
        using var batch = new MemoryStream();
        batch.Write("[\n  "u8);
        for (var i = 0; i < events.Length; i++)
        {
            batch.Write(i == 0 ? [] : " ,\n  "u8);
            batch.Write(events[i]);
        }

        batch.Write("\n]"u8);
        return batch.ToArray();
    }

    /// <summary>The routing key the Api gives a notification: <c>{topic}.{tenant}</c>.</summary>
    public static string RoutingKey(string? tenant) => $"IMAGE-LIFECYCLE.{tenant ?? "_"}";
}

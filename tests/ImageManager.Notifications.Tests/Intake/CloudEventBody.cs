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

    /// <summary>The routing key the Api gives a notification: <c>{topic}.{tenant}</c>.</summary>
    public static string RoutingKey(string? tenant) => $"IMAGE-LIFECYCLE.{tenant ?? "_"}";
}

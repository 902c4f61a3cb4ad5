namespace ImageManager.Contracts;

/// <summary>
/// Where the Api publishes lifecycle notifications (CloudEvents) on the broker, and how a consumer picks by type; the
/// Api and the Notifications service's intake must agree on both.
/// </summary>
public static class NotificationRouting
{
    /// <summary>The topic exchange; routing key <c>{topic}.{tenant}</c>.</summary>
    public const string Exchange = "imagemanager.notifications";

    /// <summary>The CloudEvents type as a message header, the name CloudEvents' AMQP binding gives it.</summary>
    public const string TypeHeader = "cloudEvents:type";
}

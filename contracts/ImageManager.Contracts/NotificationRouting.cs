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

    /// <summary>A message holding one CloudEvent (CloudEvents' structured mode): the body is the event.</summary>
    public const string EventContentType = "application/cloudevents+json";

    /// <summary>
    /// A message holding several CloudEvents of one type and one tenant (CloudEvents' batched mode): the body is a JSON array
    /// of them, each as it would be alone. Inside the broker only: subscribers receive the events one by one.
    /// </summary>
    public const string BatchContentType = "application/cloudevents-batch+json";

    /// <summary>The most CloudEvents the Api puts into one batch message.</summary>
    public const int MostPerBatch = 200;
}

namespace ImageManager.Notifications.Webhooks;

public static class DeliveryStates
{
    /// <summary>Not yet answered with a 2xx: waiting for its first attempt or its next retry.</summary>
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Given up after the last attempt.</summary>
    public const string Failed = "failed";

    public static readonly string[] All = [Pending, Delivered, Failed];
}

namespace ImageManager.Notifications.Subscriptions;

public static class SubscriptionStates
{
    public const string Active = "active";

    /// <summary>Failed too often in a row: nothing is sent, new events wait (within retention) until it is resumed.</summary>
    public const string Suspended = "suspended";
}

namespace ImageManager.Notifications.Webhooks;

/// <summary>The wait before the next attempt: <see cref="WebhookOptions.FirstRetryDelay"/>, doubled after each failure, at most <see cref="WebhookOptions.MaxRetryDelay"/>.</summary>
public static class RetryDelay
{
    public static TimeSpan After(int failedAttempts, WebhookOptions options)
    {
        var doublings = Math.Clamp(failedAttempts - 1, 0, 30);
        var delay = options.FirstRetryDelay * Math.Pow(2, doublings);
        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }
}

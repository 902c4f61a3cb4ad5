namespace ImageManager.Api.Downstream;

/// <summary>The Api's calls to the Notifications service (webhook subscriptions and their deliveries).</summary>
public sealed class NotificationsClient(HttpClient http)
{
    public HttpClient Http => http;
}

using ImageManager.ServiceDefaults.Outbound;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// Where webhooks may go. A subscriber URL is http or https; unless <see cref="WebhookOptions.AllowPrivateAddresses"/>,
/// it may not reach loopback, private, link-local, shared or unique-local addresses. The check is made on the address
/// actually connected to (<see cref="ConnectAsync"/>), so a name that resolves elsewhere later cannot get round it. The
/// rule is the installation's one for outbound calls (<see cref="OutboundAddresses"/>), which VIM connections follow too.
/// </summary>
public static class WebhookAddresses
{
    /// <summary>Why <paramref name="url"/> cannot be a subscriber's address, in words; null when it can.</summary>
    public static string? ProblemWith(string? url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "url must be an absolute http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url may not carry a user name or password; the secret signs each delivery instead.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "url may not have a fragment (#…).";
        }

        return !allowPrivate && OutboundAddresses.LiteralOf(uri) is { } address && OutboundAddresses.IsPrivate(address)
            ? $"url points at {address}, a loopback or private address, which webhooks may not reach here (Webhooks:AllowPrivateAddresses)."
            : null;
    }

    /// <summary>The connection of the webhook client: to the first address of the host that is allowed.</summary>
    public static ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken) =>
        OutboundAddresses.ConnectAsync(context, allowPrivate, "webhooks", "Webhooks:AllowPrivateAddresses", cancellationToken);
}

using System.Net;
using System.Net.Sockets;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// Where webhooks may go. A subscriber URL is http or https; unless <see cref="WebhookOptions.AllowPrivateAddresses"/>,
/// it may not reach loopback, private, link-local, shared or unique-local addresses. The check is made on the address
/// actually connected to (<see cref="ConnectAsync"/>), so a name that resolves elsewhere later cannot get round it.
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

        return !allowPrivate && IPAddress.TryParse(uri.IdnHost, out var address) && IsPrivate(address)
            ? $"url points at {address}, a loopback or private address, which webhooks may not reach here (Webhooks:AllowPrivateAddresses)."
            : null;
    }

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] >= 224
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
    }

    /// <summary>The connection of the webhook client: to the first address of the host that is allowed.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(address => allowPrivate || !IsPrivate(address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(addresses.Length == 0
                ? $"{host} has no address."
                : $"{host} is at {string.Join(", ", addresses.Select(a => a.ToString()))}, loopback or private, which webhooks may not reach here (Webhooks:AllowPrivateAddresses).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

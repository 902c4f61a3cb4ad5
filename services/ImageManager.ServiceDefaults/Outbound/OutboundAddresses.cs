using System.Net;
using System.Net.Sockets;

namespace ImageManager.ServiceDefaults.Outbound;

/// <summary>
/// Where a call that someone outside configured (a webhook subscriber's URL, a VIM's endpoint) may connect: not to
/// loopback, private, shared, link-local (a cloud's metadata service, 169.254.169.254), unique-local, multicast or
/// reserved addresses, unless the installation allows them. The check is made on the address actually connected to
/// (<see cref="ConnectAsync"/>, a <see cref="SocketsHttpHandler.ConnectCallback"/>): a name that resolves elsewhere
/// later, or an address written as a decimal or hex number (<c>http://2130706433/</c>), is checked as what it is.
/// </summary>
public static class OutboundAddresses
{
    static readonly IPNetwork[] PrivateNetworks =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),   // shared (carrier NAT); some clouds' metadata (100.100.100.200)
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),  // link-local: the metadata service of most clouds
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments (some clouds' metadata)
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),     // multicast, reserved, broadcast
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),        // unique-local (fd00:ec2::254, a metadata service)
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64), which is then what counts.</summary>
    static readonly IPNetwork[] EmbeddingIPv4 = [IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48")];

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddingIPv4.Any(n => n.Contains(address)))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }

        return PrivateNetworks.Any(network => network.Contains(address));
    }

    /// <summary>
    /// Whether a connection may go to <paramref name="address"/>: any address when <paramref name="allowPrivate"/>, else a
    /// public one or one in <paramref name="allowedNetworks"/> (the private networks the installation names, e.g. the
    /// VIMs' management network).
    /// </summary>
    public static bool IsAllowed(IPAddress address, bool allowPrivate, IReadOnlyCollection<IPNetwork>? allowedNetworks = null) =>
        allowPrivate || !IsPrivate(address) || (allowedNetworks?.Any(network => network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)) ?? false);

    /// <summary>The address a URL's host names without a name lookup (an IP literal, in any form .NET reads), or null for a name.</summary>
    public static IPAddress? LiteralOf(Uri url) =>
        IPAddress.TryParse(url.HostNameType == UriHostNameType.IPv6 ? url.IdnHost.Trim('[', ']') : url.IdnHost, out var address) ? address : null;

    /// <summary>
    /// The connection of an <see cref="HttpClient"/> to the host's first allowed address; refused with
    /// <see cref="RefusedAddressException"/> (which names <paramref name="setting"/>) when none is.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, bool allowPrivate, string who, string setting, CancellationToken cancellationToken,
        IReadOnlyCollection<IPNetwork>? allowedNetworks = null)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(address => IsAllowed(address, allowPrivate, allowedNetworks)).ToArray();
        if (allowed.Length == 0)
        {
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"{host} has no address.");
            }

            throw new RefusedAddressException(
                $"{host} is at {string.Join(", ", addresses.Select(a => a.ToString()))}, loopback or private, which {who} may not reach here ({setting}).");
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

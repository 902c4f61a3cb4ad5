using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace ImageManager.Validation.Scanning;

/// <summary>Where clamd listens: <c>tcp://host:port</c> or <c>unix:///path</c>.</summary>
public static class ClamdAddress
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out EndPoint? endPoint)
    {
        endPoint = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme == "tcp" && uri.Port is > 0 and <= 65535 && uri.Host.Length > 0 && uri.AbsolutePath is "/" or "")
        {
            endPoint = IPAddress.TryParse(uri.Host, out var address) ? new IPEndPoint(address, uri.Port) : new DnsEndPoint(uri.Host, uri.Port);
            return true;
        }

        if (uri.Scheme == "unix" && uri.AbsolutePath.Length > 1)
        {
            endPoint = new UnixDomainSocketEndPoint(uri.AbsolutePath);
            return true;
        }

        return false;
    }
}

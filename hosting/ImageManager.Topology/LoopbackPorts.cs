using System.Net;
using System.Net.Sockets;

namespace ImageManager.Topology;

/// <summary>Addresses on 127.0.0.1, where everything of one installation or test run listens.</summary>
public static class LoopbackPorts
{
    /// <summary>An address on a free loopback port, for a process that others must know of before it starts.</summary>
    public static Uri FreeAddress() => Address(FreePort());

    public static Uri Address(int port) => new($"http://127.0.0.1:{port}");

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

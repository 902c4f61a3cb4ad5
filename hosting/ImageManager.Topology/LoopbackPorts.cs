using System.Net;
using System.Net.Sockets;

namespace ImageManager.Topology;

/// <summary>Addresses on 127.0.0.1, where everything of one installation or test run listens.</summary>
public static class LoopbackPorts
{
    /// <summary>An address on a free loopback port, for a process that others must know of before it starts.</summary>
    public static Uri FreeAddress() => Address(FreePort());

    public static Uri Address(int port) => new($"http://127.0.0.1:{port}");

    /// <summary>
    /// A free port below the kernel's ephemeral range: a port the kernel hands out for "any port" (0) is also one it hands
    /// out as the local end of outgoing connections, and with thousands of connections open (a fan-out to simulated VIMs)
    /// one took a service's port between its choice and its start (the HA test saw "address already in use").
    /// </summary>
    static int FreePort()
    {
        var below = EphemeralRangeStart();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(below / 2, below);
            bool first;
            lock (Handed)
            {
                first = Handed.Add(port);
            }

            if (first && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port below {below} after 200 tries.");
    }

    static readonly HashSet<int> Handed = [];

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of Linux's ephemeral range (<c>ip_local_port_range</c>; 32768 by default).</summary>
    static int EphemeralRangeStart() =>
        File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
        && int.TryParse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start)
        && start > 2048
            ? start
            : 32768;
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ImageManager.Testing;

/// <summary>
/// A regional hub of the tests' own: an nginx cache in front of the Api's signed downloads on 127.0.0.1, started and
/// stopped through <c>infra/infra.sh nginx</c> like any instance (configuration, cache and logs in
/// <c>.local/infra/nginx-{name}/</c>, removed on dispose).
/// </summary>
public sealed partial class RegionalHub : IAsyncDisposable
{
    RegionalHub(string name, Uri baseUrl)
    {
        Name = name;
        BaseUrl = baseUrl;
    }

    /// <summary>The nginx instance's name, also a fine hub id.</summary>
    public string Name { get; }

    /// <summary>Where the VIMs reach the hub (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    string AccessLogPath => Path.Combine(RepositoryPaths.Root, ".local", "infra", $"nginx-{Name}", "access.log");

    /// <summary>Starts a hub in front of the Api at <paramref name="centre"/>.</summary>
    public static async Task<RegionalHub> StartAsync(Uri centre)
    {
        var name = $"hub-{Guid.NewGuid():N}"[..16];
        var port = FreePort();
        await InfraScript.RunAsync("nginx", "start", name, port.ToString(CultureInfo.InvariantCulture), centre.GetLeftPart(UriPartial.Authority));
        return new RegionalHub(name, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>SIGKILLs the hub (the master and its workers): the connections it serves break mid-transfer.</summary>
    public Task<string> KillAsync() => InfraScript.RunAsync("nginx", "kill", Name);

    /// <summary>The requests for image files the hub answered so far, as its access log records them (path only, never the query).</summary>
    public IReadOnlyList<HubRequest> Requests() =>
        File.Exists(AccessLogPath)
            ? [.. File.ReadAllLines(AccessLogPath).Select(line => LogLine().Match(line)).Where(m => m.Success).Select(m => new HubRequest(
                Guid.Parse(m.Groups["image"].Value),
                int.Parse(m.Groups["status"].Value, CultureInfo.InvariantCulture),
                long.Parse(m.Groups["sent"].Value, CultureInfo.InvariantCulture),
                m.Groups["cache"].Value,
                m.Groups["upstream"].Value == "-" ? 0 : m.Groups["upstream"].Value.Split(", ").Sum(b => long.Parse(b, CultureInfo.InvariantCulture))))]
            : [];

    public async ValueTask DisposeAsync()
    {
        await InfraScript.RunAsync("nginx", "stop", Name);
        await InfraScript.RunAsync("nginx", "forget", Name);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("\"GET /api/v1/images/(?<image>[0-9a-f-]{36})/file\" (?<status>\\d{3}) (?<sent>\\d+) cache=(?<cache>\\S+) upstream=.*? upstream_bytes=(?<upstream>[-0-9, ]+)$")]
    private static partial Regex LogLine();
}

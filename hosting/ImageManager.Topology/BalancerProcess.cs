using System.Diagnostics;
using System.Net.Sockets;

namespace ImageManager.Topology;

/// <summary>
/// HAProxy (the Debian package, which <c>infra/infra.sh ha start</c> installs) in the foreground, with the
/// <see cref="BalancerConfiguration"/> of a balanced system; it lives as long as the system that started it.
/// </summary>
public sealed class BalancerProcess : IAsyncDisposable
{
    const string Executable = "/usr/sbin/haproxy";
    readonly Process _process;

    BalancerProcess(Process process, string configurationPath)
    {
        _process = process;
        ConfigurationPath = configurationPath;
    }

    public string ConfigurationPath { get; }

    /// <summary>Writes the configuration to <c>{directory}/{name}.cfg</c>, checks it, starts HAProxy and waits until every front accepts connections.</summary>
    public static async Task<BalancerProcess> StartAsync(DeclaredSystem system, string directory, string name = "haproxy")
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: a balanced system needs HAProxy (infra/infra.sh ha start installs it).");
        }

        var configurationPath = Path.Combine(directory, $"{name}.cfg");
        await File.WriteAllTextAsync(configurationPath, BalancerConfiguration.Render(system));
        var logPath = Path.Combine(directory, $"{name}.log");
        var start = new ProcessStartInfo(Executable)
        {
            // -db: in the foreground, so that it ends with its parent's kill; -W: master-worker, as systemd would run it.
            ArgumentList = { "-db", "-W", "-f", configurationPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        var log = new ProcessLog(logPath);
        log.Follow(process);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;

        var balancer = new BalancerProcess(process, configurationPath);
        try
        {
            foreach (var front in system.Services.Select(service => service.BalancedAddress).OfType<Uri>())
            {
                await WaitForListenerAsync(process, front, logPath);
            }
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }

        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    static async Task WaitForListenerAsync(Process process, Uri front, string logPath)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"HAProxy exited with {process.ExitCode}; see {logPath}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(front.Host, front.Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

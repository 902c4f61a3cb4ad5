using ImageManager.Topology;
using Microsoft.Extensions.Hosting;

namespace ImageManager.AppHost;

/// <summary>
/// Keeps what <c>imagemanager.sh</c> reads in <c>.local/run/services/</c>: each process's output in <c>{name}.log</c>,
/// its process id in <c>{name}.pid</c> and its address in <c>{name}.url</c> (<c>status</c> and <c>down</c> read them);
/// <c>ready</c> once every service answers <c>/readyz</c>, <c>failed</c> with the reason when a process exits with an error.
/// It starts watching before any hosted service starts (<see cref="StartingAsync"/>): Aspire's orchestrator, started
/// before it, returns from its start only once the resources are created, and a process that fails early would go unseen.
/// </summary>
public sealed class RunDirectoryRecorder(DeclaredSystem declaration, ResourceNotificationService notifications, ResourceLoggerService logs)
    : IHostedLifecycleService, IDisposable
{
    static readonly string RunDirectory = Directory.CreateDirectory(Path.Combine(ServiceBuilds.Root, ".local", "run", "services")).FullName;
    readonly CancellationTokenSource _stopping = new();
    Task _recording = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _recording = RecordAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the orchestrator stopped the processes, so that their last lines are in the logs.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _recording;
    }

    public void Dispose() => _stopping.Dispose();

    Task RecordAsync(CancellationToken stoppingToken)
    {
        File.Delete(Path.Combine(RunDirectory, "ready"));
        File.Delete(Path.Combine(RunDirectory, "failed"));
        foreach (var stale in Directory.EnumerateFiles(RunDirectory, "*.url").Concat(Directory.EnumerateFiles(RunDirectory, "*.front")))
        {
            File.Delete(stale);
        }

        var instances = declaration.Services
            .SelectMany(service => service.Addresses.Select((address, replica) => (Name: service.InstanceName(replica), Address: address)))
            .ToArray();
        foreach (var (name, address) in instances)
        {
            File.WriteAllText(Path.Combine(RunDirectory, $"{name}.url"), address.ToString().TrimEnd('/') + "\n");
        }

        // Balanced, where users reach each service: HAProxy's front ({service}.front), and HAProxy's own pid.
        foreach (var service in declaration.Services.Where(service => service.BalancedAddress is not null))
        {
            File.WriteAllText(Path.Combine(RunDirectory, $"{service.Name}.front"), service.BalancedAddress!.ToString().TrimEnd('/') + "\n");
        }

        var names = declaration.Migrations.Select(service => $"{service.Name}-migrate")
            .Concat(instances.Select(instance => instance.Name))
            .Concat(declaration.Balanced ? ["haproxy"] : []);
        return Task.WhenAll(
            RecordProcessesAsync(names.ToHashSet(StringComparer.Ordinal), stoppingToken),
            RecordReadinessAsync(instances.Select(instance => instance.Name), stoppingToken));
    }

    async Task RecordReadinessAsync(IEnumerable<string> names, CancellationToken stoppingToken)
    {
        try
        {
            foreach (var name in names)
            {
                await notifications.WaitForResourceHealthyAsync(name, stoppingToken);
            }

            await File.WriteAllTextAsync(Path.Combine(RunDirectory, "ready"), "", CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Process ids and failures as the orchestrator reports them; each process's log from when it first appears.</summary>
    async Task RecordProcessesAsync(HashSet<string> names, CancellationToken stoppingToken)
    {
        var logged = new HashSet<string>(StringComparer.Ordinal);
        var logging = new List<Task>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (!names.Contains(change.Resource.Name))
                {
                    continue;
                }

                // The orchestrator keeps logs by the resource's id (its name and a suffix of its own), not by its name.
                if (logged.Add(change.ResourceId))
                {
                    logging.Add(RecordLogAsync(change.ResourceId, change.Resource.Name, stoppingToken));
                }

                var pid = change.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value?.ToString();
                if (pid is { Length: > 0 } && !change.Resource.Name.EndsWith("-migrate", StringComparison.Ordinal))
                {
                    await File.WriteAllTextAsync(Path.Combine(RunDirectory, $"{change.Resource.Name}.pid"), pid + "\n", CancellationToken.None);
                }

                if (change.Snapshot.ExitCode is { } exitCode and not 0)
                {
                    await File.WriteAllTextAsync(
                        Path.Combine(RunDirectory, "failed"), $"{change.Resource.Name} exited with {exitCode}\n", CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(logging);
    }

    async Task RecordLogAsync(string resourceId, string name, CancellationToken stoppingToken)
    {
        await using var log = new StreamWriter(Path.Combine(RunDirectory, $"{name}.log"), append: false) { AutoFlush = true };
        try
        {
            await foreach (var lines in logs.WatchAsync(resourceId).WithCancellation(stoppingToken))
            {
                foreach (var line in lines)
                {
                    await log.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

namespace ImageManager.Topology;

/// <summary>
/// A <see cref="DeclaredSystem"/> started as processes: the migrations in their order, then every replica of every
/// service in start order, each healthy before the next starts. Disposing stops them in the reverse order.
/// </summary>
public sealed class RunningSystem : IAsyncDisposable
{
    readonly List<ServiceProcess> _processes = [];
    readonly Dictionary<string, ServiceProcess> _byInstance = new(StringComparer.Ordinal);
    BalancerProcess? _balancer;

    RunningSystem(DeclaredSystem declaration) => Declaration = declaration;

    public DeclaredSystem Declaration { get; }

    /// <summary>The processes by instance name: <c>catalog</c>, ..., <c>api</c>, and <c>api-2</c> for a second replica.</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Processes => _byInstance;

    /// <summary>Starts the system; each process's output goes to <c>{logDirectory}/{logPrefix}{instance}.log</c>.</summary>
    public static async Task<RunningSystem> StartAsync(DeclaredSystem declaration, string logDirectory, string logPrefix = "")
    {
        var system = new RunningSystem(declaration);
        try
        {
            // Balanced, the services reach each other through HAProxy: it stands before the first of them starts.
            if (declaration.Balanced)
            {
                system._balancer = await BalancerProcess.StartAsync(declaration, logDirectory, logPrefix + "haproxy");
            }

            foreach (var service in declaration.Migrations)
            {
                await ServiceProcess.RunToCompletionAsync(service.Project, service.Settings, "migrate");
            }

            foreach (var service in declaration.Services)
            {
                for (var replica = 0; replica < service.Addresses.Count; replica++)
                {
                    var instance = service.InstanceName(replica);
                    var process = await ServiceProcess.StartAsync(
                        logPrefix + instance, service.Project, service.SettingsOf(replica), service.Addresses[replica], logDirectory);
                    system._processes.Add(process);
                    system._byInstance.Add(instance, process);
                }
            }
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }

        return system;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        if (_balancer is not null)
        {
            await _balancer.DisposeAsync();
            _balancer = null;
        }
    }
}

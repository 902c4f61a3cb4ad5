using System.Diagnostics;

namespace ImageManager.Topology;

/// <summary>
/// One Image Manager service running as its own process, from its build output, as in production: the Catalog
/// (EF Core 9) and the Distribution (EF Core 10) cannot share a process. Output goes to <see cref="LogPath"/>.
/// Fault tests kill one with SIGKILL and start it again.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly string _project;
    readonly IReadOnlyDictionary<string, string> _environment;
    readonly ProcessLog _log;
    Process _process = null!;

    ServiceProcess(string name, string project, IReadOnlyDictionary<string, string> environment, string logPath, ProcessLog log, Uri address)
    {
        Name = name;
        LogPath = logPath;
        _project = project;
        _environment = environment;
        _log = log;
        Address = address;
    }

    public string Name { get; }
    public Uri Address { get; }
    public int ProcessId => _process.Id;
    public string LogPath { get; }

    /// <summary>Runs <paramref name="project"/> once with <paramref name="arguments"/> (for example <c>migrate</c>) and waits for it to exit.</summary>
    public static async Task RunToCompletionAsync(string project, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(project, environment, arguments);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{project} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>
    /// Starts <paramref name="project"/> as <paramref name="name"/> listening on <paramref name="address"/> (the
    /// environment's <c>Urls</c> must say the same), its output in <c>{logDirectory}/{name}.log</c>, and waits until its
    /// <c>/healthz</c> answers.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string name, string project, IReadOnlyDictionary<string, string> environment, Uri address, string logDirectory)
    {
        var logPath = Path.Combine(logDirectory, $"{name}.log");
        var log = new ProcessLog(logPath);
        var service = new ServiceProcess(name, project, environment, logPath, log, address);
        try
        {
            await service.LaunchAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>
    /// Ends the process with SIGKILL, as a crash or the OOM killer would: no shutdown, no message settled, no transaction
    /// finished. <see cref="RestartAsync"/> brings it back.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _log.Write($"---- killed by the test (SIGKILL) at {DateTimeOffset.UtcNow:O} ----");
    }

    /// <summary>Starts the service again after <see cref="KillAsync"/>: same configuration, same address (its peers keep finding it), same log.</summary>
    public async Task RestartAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} is still running; kill it first.");
        }

        _process.Dispose();
        _log.Write($"---- restarted by the test at {DateTimeOffset.UtcNow:O} ----");
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _log.Dispose();
    }

    async Task LaunchAsync()
    {
        var process = Process.Start(StartInfo(_project, _environment, []))!;
        _log.Follow(process);
        _process = process;

        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        // Two cores shared with clusters and the other replicas. A start needs about 2 s of CPU, and a process started
        // while a fan-out runs gets a small share of it: an extra Api started during the bench's HA fan-out to 10,000 VIMs
        // (load average 46-86) answered after 100 s, its threads in class initialisation and JIT; 23 s beside 24 busy loops.
        var deadline = DateTime.UtcNow.AddSeconds(300);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} did not become healthy within 300 s; see {LogPath}.");
    }

    static ProcessStartInfo StartInfo(string project, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var assembly = ServiceBuilds.AssemblyOf(project);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageManager.Testing;

/// <summary>
/// One Image Manager service running as its own process, from its build output, as in production: the Catalog
/// (EF Core 9) and the Distribution (EF Core 10) cannot share a process, so end-to-end tests start each one.
/// Output goes to <c>.local/test-output/{name}.log</c>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StreamWriter _log;

    ServiceProcess(string name, Process process, StreamWriter log, Uri address)
    {
        Name = name;
        _process = process;
        _log = log;
        Address = address;
    }

    public string Name { get; }
    public Uri Address { get; }
    public int ProcessId => _process.Id;
    public string LogPath => Path.Combine(RepositoryPaths.TestOutput, $"{Name}.log");

    /// <summary>Path of a service's built assembly, in the configuration the tests were built in.</summary>
    public static string AssemblyOf(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "services", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({path}).");
    }

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
    /// Starts a service on <paramref name="address"/> (a free loopback port when not given) and waits until its
    /// <c>/healthz</c> answers.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string name, string project, IReadOnlyDictionary<string, string> environment, Uri? address = null)
    {
        address ??= FreeAddress();
        var withUrl = new Dictionary<string, string>(environment) { ["Urls"] = address.ToString().TrimEnd('/') };
        var start = StartInfo(project, withUrl, []);
        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(RepositoryPaths.TestOutput, $"{name}.log"), append: false) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(name, process, log, address);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await service.DisposeAsync();
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} while starting; see {service.LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return service;
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

        await service.DisposeAsync();
        throw new TimeoutException($"{name} did not become healthy within 60 s; see {service.LogPath}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    static ProcessStartInfo StartInfo(string project, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var assembly = AssemblyOf(project);
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

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>An address on a free loopback port, for a service that others must know of before it starts.</summary>
    public static Uri FreeAddress() => new($"http://127.0.0.1:{FreePort()}");

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

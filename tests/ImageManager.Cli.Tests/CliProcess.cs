using System.Diagnostics;
using System.Text;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary>
/// One run of the <c>imagemanager</c> tool as a process (<c>dotnet imagemanager.dll ...</c>) from its build output, with
/// an environment of the test's making: no <c>IMAGEMANAGER_URL</c>/<c>_API_KEY</c>/<c>_CONFIG</c> unless given, and a
/// home of its own, so nothing of the machine's user leaks in.
/// </summary>
public sealed class CliProcess : IDisposable
{
    static readonly TimeSpan Safety = TimeSpan.FromMinutes(5);
    readonly Process _process;
    readonly StringBuilder _stdout = new();
    readonly StringBuilder _stderr = new();
    TaskCompletionSource _nextStderr = new(TaskCreationOptions.RunContinuationsAsynchronously);

    CliProcess(Process process) => _process = process;

    public static string AssemblyPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryPaths.Root, "tools", "ImageManager.Cli", "bin", configuration, "net10.0", "imagemanager.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The CLI is not built ({path}).");
        }
    }

    public static CliProcess Start(IEnumerable<string> arguments, string home, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "IMAGEMANAGER_URL", "IMAGEMANAGER_API_KEY", "IMAGEMANAGER_CONFIG", "COLUMNS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(cli._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits until stderr shows what <paramref name="seen"/> looks for (or the process ends).</summary>
    public async Task<string> WaitForStderrAsync(Func<string, bool> seen)
    {
        using var safety = new CancellationTokenSource(Safety);
        while (true)
        {
            Task next;
            lock (_stderr)
            {
                if (seen(_stderr.ToString()) || _process.HasExited)
                {
                    return _stderr.ToString();
                }

                next = _nextStderr.Task;
            }

            await Task.WhenAny(next, _process.WaitForExitAsync(safety.Token));
            safety.Token.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Sends SIGINT, as a user's Ctrl+C in a terminal does; the process decides how to end.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Ends the process as a user's Ctrl+\ or a lost session would: at once, mid-work.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<CliResult> WaitAsync()
    {
        using var safety = new CancellationTokenSource(Safety);
        try
        {
            await _process.WaitForExitAsync(safety.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"imagemanager did not end within {Safety}: {Stderr}");
        }

        _process.WaitForExit(); // flushes the redirected output
        string stdout;
        lock (_stdout)
        {
            stdout = _stdout.ToString();
        }

        return new CliResult(_process.ExitCode, stdout, Stderr);
    }

    void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
            if (buffer == _stderr)
            {
                var changed = _nextStderr;
                _nextStderr = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.TrySetResult();
            }
        }
    }

    public void Dispose() => _process.Dispose();
}

using System.Diagnostics;

namespace ImageManager.Testing;

/// <summary><c>infra/infra.sh</c>, as the tests call it: to make virtual hosts and users, and to break and mend the infrastructure.</summary>
public static class InfraScript
{
    /// <summary>Runs <c>infra/infra.sh</c> with <paramref name="arguments"/>; its output, or an exception with its output when it fails.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "infra", "infra.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra.sh {string.Join(' ', arguments)} failed: {await output} {await error}");
        }

        return await output;
    }
}

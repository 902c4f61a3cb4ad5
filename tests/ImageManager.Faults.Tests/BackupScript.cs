using System.Diagnostics;
using ImageManager.Testing;

namespace ImageManager.Faults.Tests;

/// <summary>
/// <c>tools/backup.sh</c> on a test system's own data: the script gets the settings the services get from the declaration
/// (<c>ConnectionStrings__*</c>, <c>BlobStore__*</c>, <c>DataProtection__*</c>), so it works on that system's databases,
/// blob root and key ring, never the installation's.
/// </summary>
public sealed class BackupScript(ServiceSystem system)
{
    static readonly string[] DataSettings = ["ConnectionStrings__", "BlobStore__", "DataProtection__"];

    /// <summary>Runs <c>backup</c>, <c>verify</c> or <c>restore</c> on <paramref name="directory"/> to its end.</summary>
    public async Task<BackupRun> RunAsync(string command, string directory, string? afterDatabases = null)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo(command, directory, afterDatabases))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return new BackupRun(process.ExitCode, await output + await error, clock.Elapsed);
    }

    /// <summary>
    /// Starts a backup that stops after its database dumps (each attempt's first time only) until <see cref="PausedBackup.ResumeAsync"/>:
    /// the moment to change the system between the dumps and the blob copy.
    /// </summary>
    public PausedBackup StartPaused(string directory)
    {
        var markers = Directory.CreateTempSubdirectory("backup-pause-").FullName;
        var dumped = Path.Combine(markers, "dumped");
        var resume = Path.Combine(markers, "resume");
        // Bounded: the hook gives up waiting after 5 minutes, and the backup goes on.
        var hook = $"if [ ! -e '{resume}' ]; then touch '{dumped}'; for _ in $(seq 1 3000); do [ -e '{resume}' ] && break; sleep 0.1; done; fi";
        return new PausedBackup(RunAsync("backup", directory, hook), dumped, resume, markers);
    }

    ProcessStartInfo StartInfo(string command, string directory, string? afterDatabases)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tools", "backup.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(directory);
        foreach (var (key, value) in system.SharedSettings.Where(setting => DataSettings.Any(prefix => setting.Key.StartsWith(prefix, StringComparison.Ordinal))))
        {
            start.Environment[key] = value;
        }

        if (afterDatabases is not null)
        {
            start.Environment["IMAGEMANAGER_BACKUP_AFTER_DATABASES"] = afterDatabases;
        }

        return start;
    }
}

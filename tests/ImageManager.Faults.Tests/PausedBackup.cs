using ImageManager.Testing;

namespace ImageManager.Faults.Tests;

/// <summary>A backup held between its database dumps and its blob copy (<see cref="BackupScript.StartPaused"/>).</summary>
public sealed class PausedBackup(Task<BackupRun> run, string dumpedMarker, string resumeMarker, string markers)
{
    /// <summary>Waits until the databases are dumped and the backup waits; fails if the backup ended instead.</summary>
    public async Task WaitUntilDumpedAsync()
    {
        await Eventually.Get(
            () => Task.FromResult(File.Exists(dumpedMarker) || run.IsCompleted), reached => reached, TimeSpan.FromMinutes(2), "the backup to dump its databases");
        if (!File.Exists(dumpedMarker))
        {
            throw new InvalidOperationException($"The backup ended before its pause: {(await run).Output}");
        }
    }

    /// <summary>Lets the backup go on to the blobs (and later attempts run without a pause); waits for its end.</summary>
    public async Task<BackupRun> ResumeAsync()
    {
        await File.WriteAllTextAsync(resumeMarker, "");
        var result = await run;
        Directory.Delete(markers, recursive: true);
        return result;
    }
}

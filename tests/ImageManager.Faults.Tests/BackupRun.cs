namespace ImageManager.Faults.Tests;

/// <summary>One run of <c>tools/backup.sh</c>: how it ended, what it said (stdout and stderr), how long it took.</summary>
public sealed record BackupRun(int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;
}

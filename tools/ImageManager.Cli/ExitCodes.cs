namespace ImageManager.Cli;

/// <summary>What the process exit code tells a script; docs/cli.md lists them, and they do not change meaning.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Unexpected = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int NotAuthorized = 4;
    public const int Refused = 5;
    public const int Failed = 6;
    public const int TimedOut = 7;

    /// <summary><c>vim add</c>: the VIM is registered, but it did not answer the probe made right after (or could not be probed).</summary>
    public const int VimNotAnswering = 8;

    /// <summary>Stopped by Ctrl+C (SIGINT): 128 + 2, as shells report a process the signal ended.</summary>
    public const int Interrupted = 130;
}

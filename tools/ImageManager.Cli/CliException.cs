namespace ImageManager.Cli;

/// <summary>An outcome that ends the command with <see cref="ExitCode"/> and a reason for a person on stderr.</summary>
public sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The connection failed (not the Api refusing): trying again may work.</summary>
    public bool IsTransport => InnerException is HttpRequestException or IOException;
}

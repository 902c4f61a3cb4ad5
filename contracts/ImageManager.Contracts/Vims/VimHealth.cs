namespace ImageManager.Contracts.Vims;

/// <summary>
/// How the VIM has been answering: <c>healthy</c>, <c>degraded</c> (recent transient failures) or <c>unavailable</c>
/// (circuit open: uploads to it wait until <see cref="CircuitOpenUntil"/> instead of holding workers).
/// </summary>
public sealed record VimHealth(string State, int ConsecutiveFailures, DateTimeOffset? CircuitOpenUntil, DateTimeOffset? LastProbeAt, string? LastError);


namespace ImageManager.Distribution.Vims;

/// <summary>
/// How the VIM has been answering: <c>healthy</c>, <c>degraded</c> (recent transient failures) or <c>unavailable</c>
/// (circuit open: uploads to it wait until <see cref="CircuitOpenUntil"/> instead of holding workers).
/// </summary>
public sealed record VimHealth(string State, int ConsecutiveFailures, DateTimeOffset? CircuitOpenUntil, DateTimeOffset? LastProbeAt, string? LastError)
{
    public static VimHealth From(Vim vim, DateTimeOffset now) => new(
        vim.CircuitOpenUntil > now ? "unavailable" : vim.ConsecutiveFailures > 0 ? "degraded" : "healthy",
        vim.ConsecutiveFailures,
        vim.CircuitOpenUntil > now ? vim.CircuitOpenUntil : null,
        vim.LastProbeAt,
        vim.LastError);
}

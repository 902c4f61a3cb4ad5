
namespace ImageManager.Distribution.Vims;

/// <summary>
/// What the VIM has shown of itself. <c>unknown</c> until it has answered (a registration is probed in the background),
/// <c>healthy</c> when it last answered as its API, <c>unhealthy</c> when its last probe failed or calls to it are
/// failing: <see cref="Reason"/> says what was found (<see cref="VimHealthReasons"/>), <see cref="LastError"/> in a
/// sentence; uploads to it wait until <see cref="CircuitOpenUntil"/> while its circuit is open.
/// </summary>
public sealed record VimHealth(
    string State,
    int ConsecutiveFailures,
    DateTimeOffset? CircuitOpenUntil,
    DateTimeOffset? LastProbeAt,
    string? LastError,
    string? Reason,
    DateTimeOffset? LastAnsweredAt)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string Unknown = "unknown";

    public static readonly string[] States = [Healthy, Unhealthy, Unknown];

    public static VimHealth From(Vim vim, DateTimeOffset now) => new(
        StateOf(vim),
        vim.ConsecutiveFailures,
        vim.CircuitOpenUntil > now ? vim.CircuitOpenUntil : null,
        vim.LastProbeAt,
        vim.LastError,
        vim.HealthReason ?? (vim.ConsecutiveFailures > 0 ? VimHealthReasons.Refused : null),
        vim.LastAnsweredAt);

    /// <summary>The state; <see cref="VimHealthFilter"/> says the same in SQL.</summary>
    public static string StateOf(Vim vim) =>
        vim.ConsecutiveFailures > 0 || vim.HealthReason is not null ? Unhealthy
        : vim.LastAnsweredAt is not null ? Healthy
        : Unknown;
}

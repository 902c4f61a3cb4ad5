namespace ImageManager.Contracts.Vims;

/// <summary>
/// What the VIM has shown of itself. <c>unknown</c> until it has answered (a registration is probed in the background),
/// <c>healthy</c> when it last answered as its API, <c>unhealthy</c> when its last probe failed or calls to it are
/// failing: <see cref="Reason"/> says what was found (<c>unreachable</c>, <c>tls</c>, <c>authentication</c>,
/// <c>wrong-api</c>, <c>address-refused</c>, or <c>refused</c> for a call that failed otherwise), <see cref="LastError"/>
/// in a short sanitised sentence; uploads to it wait until <see cref="CircuitOpenUntil"/> while its circuit is open.
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
}

using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Vims;

/// <summary><c>GET /vims?health=</c>: the VIMs in one health state, as <see cref="VimHealthMapping"/> tells it, in SQL.</summary>
public static class VimHealthFilter
{
    /// <summary>Why <paramref name="health"/> is no state to filter on, in words; null when it is one.</summary>
    public static string? ProblemWith(string health) =>
        VimHealth.States.Contains(health, StringComparer.Ordinal)
            ? null
            : $"health '{health}' is not a health state: healthy, unhealthy or unknown.";

    public static IQueryable<Vim> Apply(IQueryable<Vim> vims, string health) => health switch
    {
        VimHealth.Unhealthy => vims.Where(v => v.ConsecutiveFailures > 0 || v.HealthReason != null),
        VimHealth.Healthy => vims.Where(v => v.ConsecutiveFailures == 0 && v.HealthReason == null && v.LastAnsweredAt != null),
        _ => vims.Where(v => v.ConsecutiveFailures == 0 && v.HealthReason == null && v.LastAnsweredAt == null),
    };
}

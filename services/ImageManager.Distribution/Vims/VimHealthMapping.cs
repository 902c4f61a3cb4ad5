using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Vims;

/// <summary>How <see cref="VimHealth"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class VimHealthMapping
{
    extension(VimHealth)
    {
        public static VimHealth From(Vim vim, DateTimeOffset now) => new(
            VimHealth.StateOf(vim),
            vim.ConsecutiveFailures,
            vim.CircuitOpenUntil > now ? vim.CircuitOpenUntil : null,
            vim.LastProbeAt,
            vim.LastError,
            vim.HealthReason ?? (vim.ConsecutiveFailures > 0 ? VimHealthReasons.Refused : null),
            vim.LastAnsweredAt);

        /// <summary>The state; <see cref="VimHealthFilter"/> says the same in SQL.</summary>
        public static string StateOf(Vim vim) =>
            vim.ConsecutiveFailures > 0 || vim.HealthReason is not null ? VimHealth.Unhealthy
            : vim.LastAnsweredAt is not null ? VimHealth.Healthy
            : VimHealth.Unknown;
    }
}

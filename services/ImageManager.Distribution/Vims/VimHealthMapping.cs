using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Vims;

/// <summary>How <see cref="VimHealth"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class VimHealthMapping
{
    extension(VimHealth)
    {
        public static VimHealth From(Vim vim, DateTimeOffset now) => new(
            vim.CircuitOpenUntil > now ? "unavailable" : vim.ConsecutiveFailures > 0 ? "degraded" : "healthy",
            vim.ConsecutiveFailures,
            vim.CircuitOpenUntil > now ? vim.CircuitOpenUntil : null,
            vim.LastProbeAt,
            vim.LastError);
    }
}

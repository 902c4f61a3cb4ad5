namespace ImageManager.Distribution.Budgets;

/// <summary>
/// A distribution's duration as the budgets bound it, in seconds (null members: nothing bounds the pace, no estimate).
/// Each target's pace is its VIM's cap, or less when the uplink's budget shared by the targets sending at once is lower;
/// a wave of targets lasts at least its slowest target, its targets' times shared among the parallel slots, and its
/// bytes through the uplink. A canary wave finishes before the rest begin. The last target starts when the last wave
/// has only its slowest target's time left, at the latest.
/// </summary>
public sealed record DurationEstimate(double? DurationSeconds, double? LastTargetStartSeconds, string Basis)
{
    /// <param name="imageBytes">The image's size.</param>
    /// <param name="caps">Each target's VIM cap (null: uncapped), in the targets' order.</param>
    /// <param name="maxParallel">The strategy's targets at once (null: all).</param>
    /// <param name="canarySize">The strategy's first wave (null: none).</param>
    /// <param name="uplink">The central uplink's budget (null: none).</param>
    public static DurationEstimate Of(long imageBytes, IReadOnlyList<long?> caps, int? maxParallel, int? canarySize, long? uplink)
    {
        var capped = caps.Count(c => c is not null);
        var basis = $"{imageBytes} bytes to {caps.Count} VIM(s), {capped} of them capped; " +
            $"{(maxParallel is { } p ? $"{p} at once" : "all at once")}{(canarySize is { } c ? $", canary wave of {c}" : "")}; " +
            $"uplink budget {(uplink is { } u ? $"{u} B/s" : "none")}";
        if (caps.Count == 0 || (uplink is null && caps.Any(c => c is null)))
        {
            return new DurationEstimate(null, null, basis + ": an uncapped VIM with no uplink budget has no bound to estimate from.");
        }

        var canary = canarySize is { } size && size < caps.Count ? caps.Take(size).ToList() : [];
        var (first, firstLastStart) = Wave(imageBytes, canary, maxParallel, uplink);
        var (rest, restLastStart) = Wave(imageBytes, caps.Skip(canary.Count).ToList(), maxParallel, uplink);
        return new DurationEstimate(Math.Round(first + rest, 1), Math.Round(canary.Count == caps.Count ? firstLastStart : first + restLastStart, 1), basis);
    }

    static (double Duration, double LastStart) Wave(long imageBytes, List<long?> caps, int? maxParallel, long? uplink)
    {
        if (caps.Count == 0)
        {
            return (0, 0);
        }

        var atOnce = Math.Min(maxParallel ?? caps.Count, caps.Count);
        var times = caps.Select(cap => imageBytes / Pace(cap, uplink is { } u ? (double)u / atOnce : null)).ToList();
        var slowest = times.Max();
        var duration = Math.Max(Math.Max(times.Sum() / atOnce, slowest), uplink is { } budget ? (double)imageBytes * caps.Count / budget : 0);
        return (duration, Math.Max(0, duration - slowest));
    }

    static double Pace(long? cap, double? uplinkShare) => Math.Min(cap ?? double.PositiveInfinity, uplinkShare ?? double.PositiveInfinity);
}

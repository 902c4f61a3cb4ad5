namespace ImageManager.Distribution.Budgets;

/// <summary>
/// A distribution's duration as the budgets bound it, in seconds (null members: nothing bounds the pace, no estimate).
/// Each target's pace is its VIM's cap, or less when the uplink's budget shared by the transfers crossing it at once is
/// lower; a target behind a regional hub pulls from the hub, so its bytes cross the uplink once per hub (the hub's
/// fetch), and it cannot end before that fetch. A wave of targets lasts at least its slowest target, its targets' times
/// shared among the parallel slots, and its bytes through the uplink. A canary wave finishes before the rest begin. The
/// last target starts when the last wave has only its slowest target's time left, at the latest.
/// </summary>
public sealed record DurationEstimate(double? DurationSeconds, double? LastTargetStartSeconds, string Basis)
{
    /// <param name="imageBytes">The image's size.</param>
    /// <param name="caps">Each target's VIM cap (null: uncapped), in the targets' order.</param>
    /// <param name="maxParallel">The strategy's targets at once (null: all).</param>
    /// <param name="canarySize">The strategy's first wave (null: none).</param>
    /// <param name="uplink">The central uplink's budget (null: none).</param>
    /// <param name="hubs">Each target's hub, in the targets' order (null, or a null member: from the centre).</param>
    public static DurationEstimate Of(long imageBytes, IReadOnlyList<long?> caps, int? maxParallel, int? canarySize, long? uplink, IReadOnlyList<string?>? hubs = null)
    {
        var targets = caps.Select((cap, i) => (Cap: cap, Hub: hubs?[i])).ToList();
        var capped = caps.Count(c => c is not null);
        var behindHubs = targets.Count(t => t.Hub is not null);
        var basis = $"{imageBytes} bytes to {caps.Count} VIM(s), {capped} of them capped" +
            $"{(behindHubs > 0 ? $", {behindHubs} pulling through {targets.Select(t => t.Hub).OfType<string>().Distinct(StringComparer.Ordinal).Count()} hub(s)" : "")}; " +
            $"{(maxParallel is { } p ? $"{p} at once" : "all at once")}{(canarySize is { } c ? $", canary wave of {c}" : "")}; " +
            $"uplink budget {(uplink is { } u ? $"{u} B/s" : "none")}";
        if (caps.Count == 0 || (uplink is null && caps.Any(c => c is null)))
        {
            return new DurationEstimate(null, null, basis + ": an uncapped VIM with no uplink budget has no bound to estimate from.");
        }

        var canary = canarySize is { } size && size < caps.Count ? targets.Take(size).ToList() : [];
        var (first, firstLastStart) = Wave(imageBytes, canary, maxParallel, uplink);
        var (rest, restLastStart) = Wave(imageBytes, targets.Skip(canary.Count).ToList(), maxParallel, uplink);
        return new DurationEstimate(Math.Round(first + rest, 1), Math.Round(canary.Count == caps.Count ? firstLastStart : first + restLastStart, 1), basis);
    }

    static (double Duration, double LastStart) Wave(long imageBytes, List<(long? Cap, string? Hub)> targets, int? maxParallel, long? uplink)
    {
        if (targets.Count == 0)
        {
            return (0, 0);
        }

        var atOnce = Math.Min(maxParallel ?? targets.Count, targets.Count);
        var central = targets.Count(t => t.Hub is null);
        var hubFetches = targets.Select(t => t.Hub).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        // What crosses the uplink at once: the central targets sending together and one fetch per hub.
        double? share = uplink is { } u ? (double)u / Math.Max(1, Math.Min(atOnce, central) + hubFetches) : null;
        var hubFetch = share is { } s && hubFetches > 0 ? imageBytes / s : 0;
        var times = targets.Select(t => t.Hub is null ? imageBytes / Pace(t.Cap, share) : Math.Max(imageBytes / Pace(t.Cap, null), hubFetch)).ToList();
        var slowest = times.Max();
        var uplinkBytes = (double)imageBytes * (central + hubFetches);
        var duration = Math.Max(Math.Max(times.Sum() / atOnce, slowest), uplink is { } budget ? uplinkBytes / budget : 0);
        return (duration, Math.Max(0, duration - slowest));
    }

    static double Pace(long? cap, double? uplinkShare) => Math.Min(cap ?? double.PositiveInfinity, uplinkShare ?? double.PositiveInfinity);
}

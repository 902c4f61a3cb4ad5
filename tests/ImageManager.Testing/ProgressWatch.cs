using System.Diagnostics;

namespace ImageManager.Testing;

/// <summary>Polls a distribution of one target through the Api until it completes, keeping what each read showed.</summary>
public static class ProgressWatch
{
    /// <summary>
    /// A snapshot every <paramref name="interval"/> (a read that gives no JSON is skipped) until the distribution is
    /// completed, for at most <paramref name="within"/>; the last snapshot is the completed one.
    /// </summary>
    public static async Task<IReadOnlyList<ProgressSnapshot>> UntilCompletedAsync(ServiceSystem system, Guid distributionId, TimeSpan interval, TimeSpan within)
    {
        var snapshots = new List<ProgressSnapshot>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var distribution = await system.PollJsonAsync($"/api/v1/distributions/{distributionId}");
            if (distribution["targets"]?.AsArray() is [{ } target, ..])
            {
                snapshots.Add(new ProgressSnapshot(
                    clock.Elapsed,
                    target["state"]!.GetValue<string>(),
                    target["bytesSent"]!.GetValue<long>(),
                    target["progress"]!.GetValue<double>(),
                    target["etaSeconds"]?.GetValue<double>(),
                    distribution["progress"]!.GetValue<double>(),
                    distribution["etaSeconds"]?.GetValue<double>(),
                    target["updatedAt"]!.GetValue<DateTimeOffset>()));
                if (distribution["state"]?.GetValue<string>() == "completed")
                {
                    return snapshots;
                }
            }

            await Task.Delay(interval);
        }

        throw new TimeoutException($"Distribution {distributionId} did not complete within {within}; last seen: {snapshots.LastOrDefault()}");
    }
}

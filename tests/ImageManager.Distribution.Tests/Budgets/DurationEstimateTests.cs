using ImageManager.Distribution.Budgets;

namespace ImageManager.Distribution.Tests.Budgets;

/// <summary>The estimate's arithmetic: each bound (slowest target, parallel slots, canary wave, uplink) where it is the one that counts.</summary>
public sealed class DurationEstimateTests
{
    const long Image = 100_000_000;
    const long TenMegabytes = 10_000_000;

    [Fact]
    public void When_all_targets_go_at_once_the_slowest_capped_VIM_sets_the_duration_and_all_start_at_once()
    {
        var estimate = DurationEstimate.Of(Image, [TenMegabytes, TenMegabytes / 2], maxParallel: null, canarySize: null, uplink: null);

        Assert.Equal((20.0, 0.0), (estimate.DurationSeconds, estimate.LastTargetStartSeconds));
    }

    [Fact]
    public void When_parallelism_is_limited_targets_queue_for_the_slots_and_the_last_starts_late()
    {
        var estimate = DurationEstimate.Of(Image, [TenMegabytes, TenMegabytes, TenMegabytes, TenMegabytes], maxParallel: 2, canarySize: null, uplink: null);

        Assert.Equal((20.0, 10.0), (estimate.DurationSeconds, estimate.LastTargetStartSeconds));
    }

    [Fact]
    public void When_the_uplink_has_a_budget_uncapped_VIMs_share_it_and_its_bytes_bound_the_duration()
    {
        var estimate = DurationEstimate.Of(Image, [null, null, null, null], maxParallel: null, canarySize: null, uplink: TenMegabytes);

        Assert.Equal((40.0, 0.0), (estimate.DurationSeconds, estimate.LastTargetStartSeconds));
        Assert.Contains("uplink budget 10000000 B/s", estimate.Basis);
    }

    [Fact]
    public void When_a_canary_wave_comes_first_the_rest_start_after_it()
    {
        var estimate = DurationEstimate.Of(Image, [TenMegabytes, TenMegabytes, TenMegabytes], maxParallel: null, canarySize: 1, uplink: null);

        Assert.Equal((20.0, 10.0), (estimate.DurationSeconds, estimate.LastTargetStartSeconds));
    }

    [Fact]
    public void When_an_uncapped_VIM_has_no_uplink_budget_above_it_there_is_no_estimate_and_the_basis_says_why()
    {
        var estimate = DurationEstimate.Of(Image, [TenMegabytes, null], maxParallel: null, canarySize: null, uplink: null);

        Assert.Null(estimate.DurationSeconds);
        Assert.Null(estimate.LastTargetStartSeconds);
        Assert.Contains("no bound", estimate.Basis);
    }
}

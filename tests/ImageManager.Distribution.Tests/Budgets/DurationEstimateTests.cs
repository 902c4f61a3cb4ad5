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

    [Fact]
    public void When_targets_pull_through_a_hub_the_uplink_carries_the_image_once_per_hub_and_they_end_no_sooner_than_its_fetch()
    {
        var caps = Enumerable.Repeat<long?>(null, 100).ToList();

        var flat = DurationEstimate.Of(Image, caps, maxParallel: null, canarySize: null, uplink: TenMegabytes);
        var tiered = DurationEstimate.Of(Image, caps, maxParallel: null, canarySize: null, uplink: TenMegabytes,
            hubs: Enumerable.Range(0, 100).Select(i => (string?)(i < 50 ? "north" : "south")).ToList());

        Assert.Equal(1000.0, flat.DurationSeconds); // 100 images through 10 MB/s
        Assert.Equal(20.0, tiered.DurationSeconds); // two hub fetches sharing 10 MB/s; every edge waits for its hub's
        Assert.Contains("100 pulling through 2 hub(s)", tiered.Basis);
    }

    [Fact]
    public void When_some_targets_are_behind_a_hub_and_others_not_the_central_ones_share_the_uplink_with_the_hub_fetch()
    {
        var estimate = DurationEstimate.Of(Image, [null, null, null, TenMegabytes / 2], maxParallel: null, canarySize: null, uplink: TenMegabytes,
            hubs: [null, null, "north", "north"]);

        // Three transfers cross the uplink (two central targets and the hub's fetch): 300 MB at 10 MB/s. The capped edge
        // behind the hub needs 20 s at its own cap, less than that.
        Assert.Equal(30.0, estimate.DurationSeconds);
    }
}


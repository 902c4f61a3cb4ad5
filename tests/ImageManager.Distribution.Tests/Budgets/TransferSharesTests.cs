using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Distribution.Tests.Budgets;

/// <summary>
/// A replica's part of the budgets on its own (<see cref="TransferShares"/>, <see cref="PacedRate"/>): counts, shares
/// of a cap and of the uplink, and waiting for a cap not yet learnt. No clock is read: only what is granted, and when.
/// </summary>
public sealed class TransferSharesTests
{
    [Fact]
    public void When_transfers_begin_and_end_the_counts_follow_and_each_new_vim_is_signalled_once()
    {
        using var shares = new TransferShares();

        var first = shares.Begin("a", 1000);
        var second = shares.Begin("a", 1000);
        var other = shares.Begin("b");
        var during = shares.Here();
        first.Dispose();
        first.Dispose(); // ending twice counts once
        var afterOne = shares.Here();
        second.Dispose();
        other.Dispose();

        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, during);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, afterOne);
        Assert.Empty(shares.Here());
        Assert.Equal(2, shares.NewVim.CurrentCount);
    }

    [Fact]
    public void When_others_transfer_to_the_same_vim_and_over_the_uplink_this_replica_gets_its_proportion_of_each()
    {
        using var shares = new TransferShares();
        using var one = shares.Begin("v", 900);
        using var two = shares.Begin("v", 900);
        var alone = shares.RatesOf("v");

        shares.Learn(uplinkBudget: 1000, uplinkElsewhere: 3, elsewhere: new Dictionary<string, int> { ["v"] = 1 });

        Assert.Equal((900L, (long?)null), alone);
        Assert.Equal((600L, 400L), shares.RatesOf("v")); // 2 of 3 transfers to v; 2 of 5 over the uplink
        Assert.Equal(1, TransferShares.Share(1000, 1, 999));
    }

    [Fact]
    public async Task When_the_cap_of_a_vim_is_not_learnt_yet_a_transfer_waits_for_the_report_and_then_goes_at_that_cap()
    {
        using var shares = new TransferShares(learnsCaps: true);
        using var ticket = shares.Begin("v");

        var granted = ticket.AcquireAsync(10_000, CancellationToken.None).AsTask();
        var waited = !granted.IsCompleted;
        shares.Learn(null, 0, new Dictionary<string, int>(), new Dictionary<string, long?> { ["v"] = 1000 });

        Assert.True(waited);
        Assert.InRange(await granted.WaitAsync(TimeSpan.FromSeconds(10)), 1, 100); // a bucket holds a tenth of a second: 100 bytes
    }

    [Fact]
    public async Task When_the_rate_changes_while_a_transfer_waits_the_new_rate_serves_it_and_no_rate_lets_everything_go()
    {
        using var rate = new PacedRate();
        rate.Set(10); // a bucket of one byte, refilled every tenth of a second

        var first = await rate.AcquireAsync(50, CancellationToken.None);
        var waiting = rate.AcquireAsync(50, CancellationToken.None).AsTask();
        var waitedOnOld = !waiting.IsCompleted;
        rate.Set(1_000_000);
        var afterChange = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        rate.Set(null);

        Assert.Equal(1, first);
        Assert.True(waitedOnOld);
        Assert.Equal(50, afterChange);
        Assert.Equal(1 << 20, await rate.AcquireAsync(1 << 20, CancellationToken.None));
    }
}

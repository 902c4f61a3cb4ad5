using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Budgets;
using Xunit.Abstractions;

namespace ImageManager.Distribution.Tests.Budgets;

/// <summary>
/// A VIM's cap and the uplink's budget held across transfers and replicas: pushes through real connections to a VIM on
/// 127.0.0.1, counts exchanged through a real PostgreSQL database, and the bytes the VIM received counted over a window
/// once every replica has learnt of the others. The tolerance covers a bucket's tenth of a second and timer slack; without
/// the budgets each transfer would go at the whole cap, or unpaced.
/// </summary>
public sealed class TransferBudgetsTests(ITestOutputHelper output) : IAsyncLifetime
{
    const int Cap = 512 * 1024;
    const int Bytes = 16 * 1024 * 1024; // more than any window lets through

    static readonly TimeSpan Settle = TimeSpan.FromSeconds(1.5);
    static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    BudgetRig _rig = null!;
    readonly CancellationTokenSource _end = new();

    public async Task InitializeAsync() => _rig = await BudgetRig.StartAsync();

    public async Task DisposeAsync()
    {
        await _end.CancelAsync();
        await _rig.DisposeAsync();
        _end.Dispose();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task When_several_uploads_to_one_capped_VIM_run_at_once_together_they_stay_within_its_cap(int uploads)
    {
        var replica = await _rig.ReplicaAsync();
        var vim = _rig.VimOf("budget_capped", Cap);

        var pushes = Enumerable.Range(0, uploads).Select(_ => replica.PushAsync(vim, Bytes, _end.Token)).ToList();
        var rate = await _rig.RateOverAsync(Settle, Window);

        ExpectWithin(rate, Cap, $"{uploads} uploads to a VIM capped at {Cap} B/s");
        Assert.Equal(uploads, replica.Budgets.Shares.Here()["budget_capped"]);
        await _end.CancelAsync();
        await Task.WhenAll(pushes);
        Assert.Empty(replica.Budgets.Shares.Here());
    }

    [Fact]
    public async Task When_two_replicas_upload_to_one_capped_VIM_they_share_its_cap_in_proportion_to_their_uploads()
    {
        var (first, second) = (await _rig.ReplicaAsync(), await _rig.ReplicaAsync());
        var vim = _rig.VimOf("budget_shared", Cap);

        var pushes = new[] { first.PushAsync(vim, Bytes, _end.Token), first.PushAsync(vim, Bytes, _end.Token), second.PushAsync(vim, Bytes, _end.Token) };
        var rate = await _rig.RateOverAsync(Settle, Window);

        ExpectWithin(rate, Cap, "three uploads from two replicas to one capped VIM");
        // Two thirds of the cap to the replica with two uploads, one third to the other.
        Assert.InRange(first.Budgets.Shares.RatesOf("budget_shared").Vim!.Value, Cap * 2 / 3 * 0.95, Cap * 2 / 3 * 1.05);
        Assert.InRange(second.Budgets.Shares.RatesOf("budget_shared").Vim!.Value, Cap / 3 * 0.95, Cap / 3 * 1.05);
        await _end.CancelAsync();
        await Task.WhenAll(pushes);
    }

    [Fact]
    public async Task When_the_uplink_has_a_budget_pushes_of_two_replicas_and_a_pull_reported_by_an_api_replica_share_it()
    {
        const int uplink = 768 * 1024;
        var (first, second) = (await _rig.ReplicaAsync(uplink), await _rig.ReplicaAsync(uplink));
        // An Api replica serving a pull to a third VIM, reporting as it does every second.
        var (answer, reports) = await ReportPullAsync(first, "budget_pulling");

        var pushes = new[] { first.PushAsync(_rig.VimOf("budget_a", null), Bytes, _end.Token), second.PushAsync(_rig.VimOf("budget_b", null), Bytes, _end.Token) };
        var rate = await _rig.RateOverAsync(Settle, Window);

        // Three transfers in flight share the uplink: the two pushes get two thirds of it.
        ExpectWithin(rate, uplink * 2.0 / 3, "two uncapped pushes from two replicas beside a pull, under an uplink budget");
        Assert.Equal(uplink, answer().UplinkBytesPerSecond);
        Assert.Equal(2, answer().UplinkTransfersElsewhere);
        Assert.Null(answer().Caps.GetValueOrDefault("budget_pulling"));
        await _end.CancelAsync();
        await Task.WhenAll(pushes);
        await reports;
    }

    [Fact]
    public async Task When_an_api_replica_reports_a_pull_of_a_capped_VIM_it_learns_the_cap_and_the_pushes_to_that_VIM_share_it()
    {
        var replica = await _rig.ReplicaAsync();
        await _rig.Database.RegisterVimsAsync(["budget_both"]);
        await using (var db = new DistributionDbContext(_rig.Database.Options))
        {
            (await db.Vims.FindAsync("budget_both"))!.BandwidthLimitBytesPerSecond = Cap;
            await db.SaveChangesAsync();
        }

        var push = replica.PushAsync(_rig.VimOf("budget_both", Cap), Bytes, _end.Token);
        await Task.Delay(Settle);
        var (answer, reports) = await ReportPullAsync(replica, "budget_both");
        var rate = await _rig.RateOverAsync(Settle, Window);

        Assert.Equal(Cap, answer().Caps["budget_both"]);
        Assert.Equal(1, answer().TransfersElsewhere["budget_both"]);
        // The push now shares the cap with the pull: half of it.
        ExpectWithin(rate, Cap / 2.0, "a push beside a pull of the same capped VIM");
        await _end.CancelAsync();
        await push;
        await reports;
    }

    /// <summary>An Api replica serving one pull to <paramref name="vimId"/>, reporting it twice a second until the test ends; the latest answer.</summary>
    async Task<(Func<TransferBudgetAnswer> Answer, Task Reports)> ReportPullAsync(BudgetRig.Replica through, string vimId)
    {
        var pull = new TransferBudgetReport { Reporter = "api/test", Transfers = new Dictionary<string, int> { [vimId] = 1 } };
        var answer = await through.Budgets.ExchangeForAsync(pull, CancellationToken.None);
        var reports = Task.Run(async () =>
        {
            for (var i = 0; i < 100 && !_end.IsCancellationRequested; i++)
            {
                answer = await through.Budgets.ExchangeForAsync(pull, CancellationToken.None);
                await Task.Delay(500, CancellationToken.None);
            }
        });
        return (() => answer, reports);
    }

    void ExpectWithin(double rate, double budget, string what)
    {
        output.WriteLine($"{what}: {rate:0} B/s over the window, budget {budget:0} B/s ({rate / budget:P1})");
        Assert.True(rate <= budget * 1.15, $"{what}: {rate:0} B/s over the window, above {budget:0} B/s");
        // Only a stall is asked about here, not speed: in the full suite other tests' work can starve the senders for part
        // of the window (a full run measured 53 % with three uploads), so the floor is low; the cap above is the property.
        Assert.True(rate >= budget * 0.3, $"{what}: {rate:0} B/s over the window, far below {budget:0} B/s: the transfers stalled");
    }
}

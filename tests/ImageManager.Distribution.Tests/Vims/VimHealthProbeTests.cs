using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>Two health probes on one PostgreSQL database, as two replicas of the Distribution service run them.</summary>
public sealed class VimHealthProbeTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly ProbeCountingDriver _driver = new();
    ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(_database.Factory())
            .AddSingleton<VimCredentialProtector>()
            .AddSingleton<VimConnector>()
            .AddSingleton<TransferBudgets>()
            .AddSingleton<VimProber>()
            .AddSingleton<IVimDriver>(_driver)
            .Configure<DistributionOptions>(options => options.HealthProbeInterval = TimeSpan.FromSeconds(30))
            .AddDataProtection().UseEphemeralDataProtectionProvider().Services
            .BuildServiceProvider(true);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    VimHealthProbe Replica() => ActivatorUtilities.CreateInstance<VimHealthProbe>(_services);

    [Fact]
    public async Task When_two_replicas_probe_at_the_same_moment_each_failing_VIM_is_probed_once_per_interval_and_healthy_ones_never()
    {
        var failing = Enumerable.Range(1, 40).Select(i => $"failing_{i}").ToList();
        await _database.RegisterVimsAsync([.. failing, "healthy_1"]);
        await using (var db = new DistributionDbContext(_database.Options))
        {
            await db.Vims.Where(v => v.Id.StartsWith("failing_")).ExecuteUpdateAsync(set => set.SetProperty(v => v.ConsecutiveFailures, 3));
            await db.Vims.Where(v => v.Id == "healthy_1").ExecuteUpdateAsync(set => set.SetProperty(v => v.LastAnsweredAt, _clock.GetUtcNow()));
        }

        VimHealthProbe[] replicas = [Replica(), Replica()];
        await Task.WhenAll(replicas.Select(r => r.ProbeDueAsync(CancellationToken.None)));
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Task.WhenAll(replicas.Select(r => r.ProbeDueAsync(CancellationToken.None)));
        var withinOneInterval = _driver.Probes.ToDictionary();
        _clock.Advance(TimeSpan.FromSeconds(25));
        await Task.WhenAll(replicas.Select(r => r.ProbeDueAsync(CancellationToken.None)));

        Assert.Equal(failing.Order(), withinOneInterval.Keys.Order());
        Assert.All(withinOneInterval.Values, probes => Assert.Equal(1, probes));
        Assert.All(_driver.Probes.Values, probes => Assert.Equal(2, probes));
        Assert.Equal(40, _driver.Probes.Count);
    }

    [Fact]
    public async Task When_a_vim_has_not_answered_yet_it_is_probed_and_what_the_probe_found_makes_it_unhealthy_until_it_answers()
    {
        await _database.RegisterVimsAsync(["unknown_1", "answered_1"]);
        await using (var db = new DistributionDbContext(_database.Options))
        {
            await db.Vims.Where(v => v.Id == "answered_1").ExecuteUpdateAsync(set => set.SetProperty(v => v.LastAnsweredAt, _clock.GetUtcNow()));
        }

        await Replica().ProbeDueAsync(CancellationToken.None);
        await using var after = new DistributionDbContext(_database.Options);
        var unknown = await after.Vims.AsNoTracking().SingleAsync(v => v.Id == "unknown_1");

        Assert.Equal(["unknown_1"], _driver.Probes.Keys);
        Assert.Equal((VimHealth.Unhealthy, VimHealthReasons.Unreachable), (VimHealth.StateOf(unknown), unknown.HealthReason));
        Assert.Equal("VIM unknown_1 still does not answer.", unknown.LastError);
        Assert.Equal(0, unknown.ConsecutiveFailures);
    }
}

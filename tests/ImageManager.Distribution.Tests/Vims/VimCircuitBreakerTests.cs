using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>The circuit of a VIM on PostgreSQL: opens at the threshold, stays open longer for each further failure, closes on a success.</summary>
public sealed class VimCircuitBreakerTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    readonly VimCircuitBreaker _breaker;

    public VimCircuitBreakerTests() => _breaker = new VimCircuitBreaker(
        Options.Create(new DistributionOptions { CircuitBreakerThreshold = 3, CircuitBreakerOpen = TimeSpan.FromSeconds(30), CircuitBreakerMaxOpen = TimeSpan.FromMinutes(1) }),
        _clock);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = new DistributionDbContext(_database.Options);
        db.Vims.Add(new Vim { Id = "edge_1", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/") });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task When_failures_reach_the_threshold_the_circuit_opens_its_wait_doubles_per_further_failure_up_to_the_cap_and_a_success_closes_it()
    {
        var seen = new List<(int Failures, TimeSpan? Open)>();
        for (var failure = 1; failure <= 5; failure++)
        {
            await using var db = new DistributionDbContext(_database.Options);
            await _breaker.RecordFailureAsync(db, "edge_1", $"503 Service Unavailable #{failure}", CancellationToken.None);
            var vim = await db.Vims.AsNoTracking().SingleAsync();
            seen.Add((vim.ConsecutiveFailures, vim.CircuitOpenUntil - _clock.GetUtcNow()));
        }

        await using (var db = new DistributionDbContext(_database.Options))
        {
            var vim = await db.Vims.AsNoTracking().SingleAsync();
            Assert.True(VimCircuitBreaker.IsOpen(vim, _clock.GetUtcNow()));
            Assert.Equal(("unhealthy", "503 Service Unavailable #5"), (VimHealth.From(vim, _clock.GetUtcNow()).State, vim.LastError));
            Assert.NotNull(VimHealth.From(vim, _clock.GetUtcNow()).CircuitOpenUntil);
            _clock.Advance(TimeSpan.FromMinutes(2));
            Assert.False(VimCircuitBreaker.IsOpen(vim, _clock.GetUtcNow()));
            await VimCircuitBreaker.RecordSuccessAsync(db, [vim.Id], _clock.GetUtcNow(), CancellationToken.None);
        }

        await using var after = new DistributionDbContext(_database.Options);
        var closed = await after.Vims.AsNoTracking().SingleAsync();
        Assert.Equal(
            [(1, null), (2, null), (3, TimeSpan.FromSeconds(30)), (4, TimeSpan.FromSeconds(60)), (5, TimeSpan.FromSeconds(60))],
            seen);
        Assert.Equal((0, null, null), (closed.ConsecutiveFailures, closed.CircuitOpenUntil, closed.LastError));
        Assert.Equal("healthy", VimHealth.From(closed, _clock.GetUtcNow()).State);
    }

    [Fact]
    public async Task When_as_many_failures_as_the_threshold_are_recorded_at_the_same_moment_the_circuit_opens()
    {
        await Task.WhenAll(Enumerable.Range(1, 3).Select(async failure =>
        {
            await using var db = new DistributionDbContext(_database.Options);
            await _breaker.RecordFailureAsync(db, "edge_1", $"connection reset #{failure}", CancellationToken.None);
        }));

        await using var after = new DistributionDbContext(_database.Options);
        var vim = await after.Vims.AsNoTracking().SingleAsync();
        Assert.Equal((3, TimeSpan.FromSeconds(30)), (vim.ConsecutiveFailures, vim.CircuitOpenUntil - _clock.GetUtcNow()));
    }
}

using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Distributions;

/// <summary>
/// A distribution is written with its targets before it is accepted, and started from its row afterwards, once, on the
/// real PostgreSQL: what a caller reads right after the answer, and what a crash between the two leaves to the sweep.
/// </summary>
public sealed class DistributionCreationTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    static readonly string[] Vims = ["create-a", "create-b", "create-c", "create-d", "create-e"];
    ServiceProvider _provider = null!;

    ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public async Task InitializeAsync()
    {
        await database.RegisterVimsAsync(Vims);
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString))
            .AddDbContext<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString), optionsLifetime: ServiceLifetime.Singleton)
            .AddDistributionCreation()
            .AddMassTransitTestHarness(x =>
            {
                x.AddDistributionCreationConsumers();
                // A consumer waits on PostgreSQL: in a loaded run, longer than the default second of quiet that ends a wait.
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(10));
            })
            .BuildServiceProvider(true);
        await Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task When_a_distribution_is_accepted_it_and_its_targets_can_be_read_at_once_and_one_upload_per_distinct_vim_follows()
    {
        var acceptance = await CreateAsync(Request(["create-a", "create-b", "create-a"]));

        Assert.True(acceptance.Accepted);
        await using (var db = Database())
        {
            // Read as the answer leaves: no waiting.
            var row = await db.Distributions.AsNoTracking().SingleAsync(d => d.CorrelationId == acceptance.DistributionId);
            Assert.Equal(("Distributing", 2), (row.CurrentState, row.TargetCount));
            Assert.Equal(["create-a", "create-b"], await db.Targets.Where(t => t.DistributionId == row.CorrelationId).OrderBy(t => t.Sequence).Select(t => t.VimId).ToListAsync());
        }

        Assert.True(await Harness.Published.Any<DistributionStarted>(x => x.Context.Message.DistributionId == acceptance.DistributionId));
        Assert.Equal(["create-a", "create-b"], UploadsOf(acceptance.DistributionId));
    }

    [Fact]
    public async Task When_a_distribution_starts_a_hundred_targets_they_are_sent_thirty_two_to_a_command_each_once()
    {
        var vims = Enumerable.Range(0, 100).Select(i => $"many-{i:D3}").ToArray();
        await database.RegisterVimsAsync(vims);

        var acceptance = await CreateAsync(Request(vims));

        Assert.True(await Harness.Published.Any<DistributionStarted>(x => x.Context.Message.DistributionId == acceptance.DistributionId));
        var commands = Harness.Sent.Select<UploadImageToVims>(x => x.Context.Message.DistributionId == acceptance.DistributionId).Select(x => x.Context.Message).ToList();
        Assert.Equal([4, 32, 32, 32], commands.Select(c => c.VimIds.Count).Order());
        Assert.Equal(vims, UploadsOf(acceptance.DistributionId));
    }

    [Theory]
    [InlineData(null, null, 5)]
    [InlineData(2, null, 2)]
    [InlineData(null, 3, 3)]
    [InlineData(2, 3, 2)]
    [InlineData(4, 1, 1)]
    public async Task When_a_strategy_limits_the_start_only_what_it_allows_is_sent_and_the_rest_wait(int? maxParallel, int? canarySize, int started)
    {
        var acceptance = await CreateAsync(Request(Vims) with { Strategy = new DistributionStrategy { MaxParallel = maxParallel, CanarySize = canarySize } });

        Assert.True(await Harness.Published.Any<DistributionStarted>(x => x.Context.Message.DistributionId == acceptance.DistributionId));
        Assert.Equal(Vims[..started], UploadsOf(acceptance.DistributionId));
        await using var db = Database();
        var targets = await db.Targets.AsNoTracking().Where(t => t.DistributionId == acceptance.DistributionId).ToListAsync();
        Assert.Equal(started, targets.Count(t => t.DispatchedAt is not null));
        Assert.Equal(canarySize ?? 5, targets.Count(t => t.Wave == 0));
    }

    [Fact]
    public async Task When_a_bus_request_names_an_unregistered_vim_it_is_refused_saying_which_and_nothing_is_written()
    {
        var request = Request(["create-a", "nowhere-1"]);

        await Harness.Bus.Publish(request);

        Assert.True(await Harness.Published.Any<DistributionRefused>(x => x.Context.Message.DistributionId == request.DistributionId));
        var refused = Harness.Published.Select<DistributionRefused>(x => x.Context.Message.DistributionId == request.DistributionId).Single().Context.Message;
        Assert.Contains("Unknown VIM id(s): nowhere-1.", refused.Reason, StringComparison.Ordinal);
        await using var db = Database();
        Assert.False(await db.Distributions.AnyAsync(d => d.CorrelationId == request.DistributionId));
        Assert.False(await db.Targets.AnyAsync(t => t.DistributionId == request.DistributionId));
    }

    [Fact]
    public async Task When_the_writer_died_before_asking_for_the_start_the_sweep_starts_it_once_however_often_asked()
    {
        var request = Request(["create-c", "create-d"]);
        await using (var scope = _provider.CreateAsyncScope())
        {
            // Written as a creation writes it, and the request for its start lost with the process: a creation with no bus behind it.
            var db = scope.ServiceProvider.GetRequiredService<DistributionDbContext>();
            var creation = new DistributionCreation(db, scope.ServiceProvider.GetRequiredService<CatalogImages>(), new([]), new LostPublishes(), TimeProvider.System, scope.ServiceProvider.GetRequiredService<DistributionEstimator>());
            Assert.True((await creation.CreateAsync(request, null, null, null, CancellationToken.None)).Accepted);
        }

        await Task.Delay(300);
        Assert.Empty(UploadsOf(request.DistributionId));

        var sweep = new UnstartedDistributionSweep(_provider.GetRequiredService<IServiceScopeFactory>(), Harness.Bus,
            Options.Create(new DistributionOptions()), TimeProvider.System, NullLogger<UnstartedDistributionSweep>.Instance);
        Assert.True(await sweep.SweepAsync(TimeSpan.Zero, CancellationToken.None) >= 1);
        await sweep.SweepAsync(TimeSpan.Zero, CancellationToken.None);
        await Harness.Bus.Publish(new DistributionStartRecorded { DistributionId = request.DistributionId });

        await ImageManager.Testing.Eventually.Get(
            async () =>
            {
                await using var db = Database();
                return await db.Distributions.AsNoTracking().Where(d => d.CorrelationId == request.DistributionId).Select(d => d.StartPublishedAt).SingleAsync();
            },
            started => started is not null, TimeSpan.FromSeconds(30), "the start to be recorded");
        await Harness.InactivityTask;
        Assert.Equal(["create-c", "create-d"], UploadsOf(request.DistributionId));
        Assert.Single(Harness.Published.Select<DistributionStarted>(x => x.Context.Message.DistributionId == request.DistributionId));
    }

    [Fact]
    public async Task When_a_start_is_asked_for_while_another_replica_is_starting_it_the_second_returns_at_once_and_sends_nothing()
    {
        var request = Request(["create-a", "create-e"]);
        await using (var scope = _provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DistributionDbContext>();
            var creation = new DistributionCreation(db, scope.ServiceProvider.GetRequiredService<CatalogImages>(), new([]), new LostPublishes(), TimeProvider.System, scope.ServiceProvider.GetRequiredService<DistributionEstimator>());
            Assert.True((await creation.CreateAsync(request, null, null, null, CancellationToken.None)).Accepted);
        }

        // Another replica's start holds the row (its sends to thousands of VIMs take a while under load) and has not committed.
        await using var other = Database();
        await using var starting = await other.Database.BeginTransactionAsync();
        await other.Database.ExecuteSqlAsync($"SELECT 1 FROM distributions WHERE id = {request.DistributionId} FOR UPDATE");

        await Harness.Bus.Publish(new DistributionStartRecorded { DistributionId = request.DistributionId });
        Assert.True(await Harness.Consumed.Any<DistributionStartRecorded>(x => x.Context.Message.DistributionId == request.DistributionId));
        await Harness.InactivityTask;

        Assert.False(await Harness.Published.Any<Fault<DistributionStartRecorded>>());
        Assert.Empty(UploadsOf(request.DistributionId));
        Assert.False(await Harness.Published.Any<DistributionStarted>(x => x.Context.Message.DistributionId == request.DistributionId));
    }

    static DistributeRequested Request(string[] vimIds) => new()
    {
        DistributionId = NewId.NextGuid(),
        ImageId = Guid.NewGuid(),
        VimIds = vimIds,
        RequestedAt = DateTimeOffset.UtcNow,
    };

    async Task<DistributionAcceptance> CreateAsync(DistributeRequested request)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DistributionCreation>().CreateAsync(request, null, null, null, CancellationToken.None);
    }

    /// <summary>The VIMs uploads were sent to for the distribution, in order, each as often as it was sent.</summary>
    string[] UploadsOf(Guid id) =>
        [.. Harness.Sent.Select<UploadImageToVims>(x => x.Context.Message.DistributionId == id).SelectMany(x => x.Context.Message.VimIds).Order(StringComparer.Ordinal)];

    DistributionDbContext Database() => new(database.Options);
}

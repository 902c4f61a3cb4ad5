using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.StateMachines;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Persistence;

/// <summary>The saga on the real PostgreSQL repository: optimistic concurrency on xmin under concurrent events.</summary>
public sealed class OptimisticSagaRepositoryTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    ServiceProvider _provider = null!;

    ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString))
            .AddMassTransitTestHarness(x =>
            {
                x.AddSagaStateMachine<DistributionStateMachine, DistributionState, DistributionStateDefinition>()
                    .OptimisticPostgresRepository();
                x.AddConfigureEndpointsCallback((_, cfg) => cfg.ConcurrentMessageLimit = 16);
            })
            .BuildServiceProvider(true);
        return Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task When_many_targets_finish_at_once_every_one_is_counted_and_completion_is_published_once()
    {
        var id = NewId.NextGuid();
        var vims = Enumerable.Range(1, 24).Select(i => $"owner_region-{i:00}").ToArray();
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = vims, RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);

        await Task.WhenAll(vims.Select(vim => Harness.Bus.Publish(new VimImageStateChanged
        {
            DistributionId = id,
            ImageId = Guid.Empty,
            VimId = vim,
            State = TargetStates.Active,
            Attempt = 1,
            VimImageId = vim,
            ChangedAt = DateTimeOffset.UtcNow,
        })));

        var row = await WaitForRow(id, row => row?.CurrentState == "Completed");
        Assert.Equal(24, row!.ActiveCount);
        Assert.All(row.Targets, target => Assert.Equal(TargetStates.Active, target.State));
        Assert.True(await Harness.Published.Any<DistributionCompleted>(x => x.Context.Message.DistributionId == id));
        await Task.Delay(500); // let any stray retry finish before counting
        Assert.Single(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id));
    }

    [Fact]
    public async Task When_the_same_request_is_delivered_twice_at_once_one_distribution_exists_and_uploads_are_sent_once()
    {
        var id = NewId.NextGuid();
        var request = new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a_1", "b_2", "c_3"], RequestedAt = DateTimeOffset.UtcNow };

        await Task.WhenAll(Harness.Bus.Publish(request), Harness.Bus.Publish(request));

        await WaitForRow(id, row => row is not null);
        Assert.True(await Harness.Consumed.Any<DistributeRequested>(x => x.Context.Message.DistributionId == id));
        await Task.Delay(500);
        Assert.Equal(3, Harness.Sent.Select<UploadImageToVim>(x => x.Context.Message.DistributionId == id).Count());
        await using var db = _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContext();
        Assert.Equal(3, await db.Targets.CountAsync(t => t.DistributionId == id));
    }

    async Task<DistributionState?> WaitForRow(Guid id, Func<DistributionState?, bool> done)
    {
        var factory = _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>();
        return await ImageManager.Testing.Eventually.Get(
            async () =>
            {
                await using var db = await factory.CreateDbContextAsync();
                return await db.Distributions.AsNoTracking().FirstOrDefaultAsync(d => d.CorrelationId == id);
            },
            done,
            TimeSpan.FromSeconds(30),
            $"distribution {id} in PostgreSQL");
    }
}

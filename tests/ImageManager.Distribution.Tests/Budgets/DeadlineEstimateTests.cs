using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Distributions;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Budgets;

/// <summary>
/// The estimate made as a distribution is created, on the real PostgreSQL: a 100 MB image to two VIMs capped at 1 MB/s,
/// one at a time, takes 200 s and its second target starts after 100 s, so a deadline a minute away cannot be met.
/// </summary>
public sealed class DeadlineEstimateTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    static readonly string[] Vims = ["estimate-a", "estimate-b"];
    Guid _imageId;

    public async Task InitializeAsync()
    {
        await database.RegisterVimsAsync(Vims);
        var image = await database.AddImageAsync(owner: null);
        await using var db = new DistributionDbContext(database.Options);
        await db.Images.Where(i => i.Id == image.Id).ExecuteUpdateAsync(i => i.SetProperty(x => x.SizeBytes, 100_000_000));
        await db.Vims.Where(v => Vims.Contains(v.Id)).ExecuteUpdateAsync(v => v.SetProperty(x => x.BandwidthLimitBytesPerSecond, 1_000_000));
        _imageId = image.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_the_estimate_says_targets_cannot_start_before_the_deadline_the_request_is_refused_naming_the_field_and_nothing_is_written()
    {
        var request = Request(TimeSpan.FromMinutes(1), allowUnmet: null);

        var acceptance = await CreateAsync(request);

        Assert.Equal((422, "strategy.deadline"), (acceptance.Refusal?.StatusCode, acceptance.Refusal?.Field));
        Assert.Contains("allowUnmetDeadline", acceptance.Refusal!.Detail);
        await using var db = new DistributionDbContext(database.Options);
        Assert.False(await db.Distributions.AnyAsync(d => d.CorrelationId == request.DistributionId));
    }

    [Fact]
    public async Task When_the_request_insists_on_an_unmet_deadline_it_is_accepted_with_the_estimate_and_a_warning_that_stay_readable()
    {
        var request = Request(TimeSpan.FromMinutes(1), allowUnmet: true);

        var acceptance = await CreateAsync(request);

        Assert.True(acceptance.Accepted);
        var estimate = acceptance.Estimate!;
        Assert.Equal((200.0, 100.0, false), (estimate.DurationSeconds, estimate.LastTargetStartSeconds, estimate.DeadlineMet));
        Assert.Contains("after the deadline", estimate.Warning);
        await using var db = new DistributionDbContext(database.Options);
        var saga = await db.Distributions.AsNoTracking().SingleAsync(d => d.CorrelationId == request.DistributionId);
        var shown = DistributionResource.From(saga, new Dictionary<string, int>(), 0, 0, null, [], null, DateTimeOffset.UtcNow).Estimate!;
        Assert.Equal((200.0, false), (shown.DurationSeconds, shown.DeadlineMet));
        Assert.Equal(saga.RequestedAt.AddSeconds(200), shown.FinishesBy);
    }

    [Fact]
    public async Task When_the_deadline_leaves_time_for_every_target_to_start_it_is_accepted_and_the_estimate_says_it_is_met()
    {
        var acceptance = await CreateAsync(Request(TimeSpan.FromHours(1), allowUnmet: null));

        Assert.True(acceptance.Accepted);
        Assert.Equal((true, null), (acceptance.Estimate!.DeadlineMet, acceptance.Estimate.Warning));
    }

    DistributeRequested Request(TimeSpan deadlineIn, bool? allowUnmet) => new()
    {
        DistributionId = Guid.NewGuid(),
        ImageId = _imageId,
        VimIds = Vims,
        Strategy = new DistributionStrategy { MaxParallel = 1, Deadline = DateTimeOffset.UtcNow + deadlineIn, AllowUnmetDeadline = allowUnmet },
        RequestedAt = DateTimeOffset.UtcNow,
    };

    async Task<DistributionAcceptance> CreateAsync(DistributeRequested request)
    {
        await using var db = new DistributionDbContext(database.Options);
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var creation = new DistributionCreation(db, new CatalogImages(http, Options.Create(new InternalAccessOptions { ServiceToken = new string('t', 32) })),
            new VimTypeFit([new GlanceDriver(new KeystoneTokenCache(TimeProvider.System))]), new LostPublishes(), TimeProvider.System,
            new DistributionEstimator(db, new HubDirectory(database.Factory(), Options.Create(new HubOptions()), TimeProvider.System), Options.Create(new BudgetOptions())));
        return await creation.CreateAsync(request, requester: null, responseAddress: null, requestId: null, CancellationToken.None);
    }
}

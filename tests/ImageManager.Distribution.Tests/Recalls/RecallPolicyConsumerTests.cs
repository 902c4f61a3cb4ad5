using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Recalls;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Recalls;
using ImageManager.Distribution.Tests.Distributions;
using ImageManager.Distribution.Tests.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Recalls;

/// <summary>
/// The recall policies on the real PostgreSQL: a withdrawn trust or a passed end of life recalls the image as the options
/// say, once however often the event comes, only where a VIM holds it, and not at all with <c>None</c>.
/// </summary>
public sealed class RecallPolicyConsumerTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncDisposable
{
    ServiceProvider? _provider;

    [Fact]
    public async Task When_trust_is_withdrawn_and_the_event_comes_twice_one_deactivation_recall_is_written()
    {
        var harness = await StartAsync(new RecallPolicyOptions { OnTrustWithdrawn = RecallPolicyAction.Deactivate });
        var image = await HeldImageAsync("policy-trust");
        var withdrawn = TrustWithdrawn(image);

        await harness.Bus.Publish(withdrawn);
        await harness.Bus.Publish(withdrawn);

        Assert.Equal(2, await ConsumedAsync<ImageTrustWithdrawn>(harness, m => m.ImageId == image));
        await using var db = new DistributionDbContext(database.Options);
        var recall = Assert.Single(await db.Set<Recall>().Where(r => r.ImageId == image).ToListAsync());
        Assert.Equal((RecallActions.Deactivate, RecallReasonKinds.RevokedKey), (recall.Action, recall.ReasonKind));
        Assert.Equal("trust withdrawn: certificate CN=vendor revoked (keyCompromise)", recall.ReasonText);
        var work = Assert.Single(await db.Set<RecallChild>().Where(c => c.RecallId == recall.Id).ToListAsync());
        Assert.Equal(DistributionKinds.Deactivation, (await db.Distributions.SingleAsync(d => d.CorrelationId == work.ChildId)).Kind);
    }

    [Fact]
    public async Task When_an_image_reaches_its_end_of_life_with_policy_remove_it_is_recalled_with_the_date_as_reason()
    {
        var harness = await StartAsync(new RecallPolicyOptions { OnEndOfLife = RecallPolicyAction.Remove });
        var image = await HeldImageAsync("policy-eol");

        await harness.Bus.Publish(EndOfLife(image));

        Assert.Equal(1, await ConsumedAsync<ImageReachedEndOfLife>(harness, m => m.ImageId == image));
        await using var db = new DistributionDbContext(database.Options);
        var recall = Assert.Single(await db.Set<Recall>().Where(r => r.ImageId == image).ToListAsync());
        Assert.Equal((RecallActions.Remove, RecallReasonKinds.EndOfLife, "end of life 2020-06-30"), (recall.Action, recall.ReasonKind, recall.ReasonText));
    }

    [Fact]
    public async Task When_the_policy_is_none_or_no_vim_holds_the_image_nothing_is_recalled()
    {
        var harness = await StartAsync(new RecallPolicyOptions { OnEndOfLife = RecallPolicyAction.Remove });
        var held = await HeldImageAsync("policy-none");
        var nowhere = (await database.AddImageAsync(owner: null)).Id;

        await harness.Bus.Publish(TrustWithdrawn(held)); // OnTrustWithdrawn is None
        await harness.Bus.Publish(EndOfLife(nowhere));

        Assert.Equal(1, await ConsumedAsync<ImageTrustWithdrawn>(harness, m => m.ImageId == held));
        Assert.Equal(1, await ConsumedAsync<ImageReachedEndOfLife>(harness, m => m.ImageId == nowhere));
        await using var db = new DistributionDbContext(database.Options);
        Assert.False(await db.Set<Recall>().AnyAsync(r => r.ImageId == held || r.ImageId == nowhere));
    }

    async Task<ITestHarness> StartAsync(RecallPolicyOptions policy)
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString))
            .AddDbContext<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString), optionsLifetime: ServiceLifetime.Singleton)
            .AddDistributionCreation()
            .AddScoped<RecallCreation>()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(policy))
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<RecallPolicyConsumer>();
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(10));
            })
            .BuildServiceProvider(true);
        var harness = _provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return harness;
    }

    /// <summary>An image with a copy Image Manager made and proved on a VIM of its own.</summary>
    async Task<Guid> HeldImageAsync(string vim)
    {
        var vimId = $"{vim}-{Guid.NewGuid():N}"[..24];
        await database.RegisterVimsAsync([vimId]);
        var image = await database.AddImageAsync(owner: null);
        await using var db = new DistributionDbContext(database.Options);
        await VimCopyLedger.ClaimAsync(db, image, vimId, $"copy-{image.Id}", Guid.NewGuid(), DateTimeOffset.UtcNow, default);
        await VimCopyLedger.ConfirmAsync(db, [(vimId, $"copy-{image.Id}")], DateTimeOffset.UtcNow, default);
        return image.Id;
    }

    static async Task<int> ConsumedAsync<T>(ITestHarness harness, Func<T, bool> which)
        where T : class
    {
        var consumer = harness.GetConsumerHarness<RecallPolicyConsumer>();
        await consumer.Consumed.Any<T>(x => which(x.Context.Message));
        await harness.InactivityTask;
        return consumer.Consumed.Select<T>(x => which(x.Context.Message)).Count();
    }

    static ImageTrustWithdrawn TrustWithdrawn(Guid imageId) => new()
    {
        ImageId = imageId,
        Kind = "vm-image",
        Name = "vfw",
        Version = "2.1.0",
        Reason = "certificate CN=vendor revoked (keyCompromise)",
        SignerSha256Fingerprint = new string('c', 64),
        WithdrawnAt = DateTimeOffset.UtcNow,
    };

    static ImageReachedEndOfLife EndOfLife(Guid imageId) => new()
    {
        ImageId = imageId,
        Kind = "vm-image",
        Name = "vfw",
        Version = "2.1.0",
        EndOfLife = new DateOnly(2020, 6, 30),
        ReachedAt = DateTimeOffset.UtcNow,
    };

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.GetRequiredService<ITestHarness>().Stop();
            await _provider.DisposeAsync();
        }
    }
}

using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Distributions;

/// <summary>
/// An image past its end of life, or whose trust was withdrawn, is refused for new distributions (409 naming why) unless
/// an operator forces it; the Catalog's answer (a real HTTP server standing in for it) carries both, the PostgreSQL is real.
/// </summary>
public sealed class LifecycleRefusalTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    static readonly string[] Vims = ["life-a", "life-b"];
    static readonly ForwardedCaller Distributor = new("key:acme-so", "acme", CallerRoles.Expand([CallerRoles.Distributor]));
    static readonly ForwardedCaller Operator = new("key:noc", "noc", CallerRoles.Expand([CallerRoles.Operator]));
    readonly CatalogStandIn _catalog = new();
    ServiceProvider _provider = null!;

    ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public async Task InitializeAsync()
    {
        await _catalog.InitializeAsync();
        await database.RegisterVimsAsync(Vims);
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString))
            .AddDbContext<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString), optionsLifetime: ServiceLifetime.Singleton)
            .AddDistributionCreation()
            .AddSingleton(new VimTypeFit([new GlanceDriver(new KeystoneTokenCache(TimeProvider.System))]))
            .Configure<InternalAccessOptions>(options => options.ServiceToken = CatalogStandIn.ServiceToken)
            .AddMassTransitTestHarness(x =>
            {
                x.AddDistributionCreationConsumers();
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(10));
            })
            .AddHttpClient<CatalogImages>(http => http.BaseAddress = _catalog.Address).Services
            .BuildServiceProvider(true);
        await Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        await _catalog.DisposeAsync();
    }

    [Fact]
    public async Task When_the_image_is_past_its_end_of_life_a_new_distribution_is_refused_naming_the_date_and_nothing_is_written()
    {
        var imageId = await ImageAsync("x", new JsonObject { ["endOfLife"] = "2020-06-30" });
        var request = Request(imageId);

        var acceptance = await CreateAsync(request, Distributor);

        Assert.Equal((409, "imageId"), (acceptance.Refusal?.StatusCode, acceptance.Refusal?.Field));
        Assert.Equal("Image x 1.0 reached its end of life on 2020-06-30; an operator may distribute it anyway with force: true.", acceptance.Refusal!.Detail);
        await using var db = Database();
        Assert.False(await db.Distributions.AnyAsync(d => d.CorrelationId == request.DistributionId));
    }

    [Fact]
    public async Task When_the_end_of_life_is_today_the_image_still_distributes()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var imageId = await ImageAsync("today", new JsonObject { ["endOfLife"] = today });

        var acceptance = await CreateAsync(Request(imageId), Distributor);

        Assert.True(acceptance.Accepted, acceptance.Refusal?.Detail);
    }

    [Fact]
    public async Task When_an_operator_forces_an_image_past_its_end_of_life_it_distributes()
    {
        var imageId = await ImageAsync("forced", new JsonObject { ["endOfLife"] = "2020-06-30" });
        var request = Request(imageId) with { Force = true };

        var acceptance = await CreateAsync(request, Operator);

        Assert.True(acceptance.Accepted, acceptance.Refusal?.Detail);
        await using var db = Database();
        Assert.True(await db.Distributions.AnyAsync(d => d.CorrelationId == request.DistributionId));
    }

    [Fact]
    public async Task When_a_distributor_sends_force_it_is_forbidden_whatever_the_image()
    {
        var imageId = await ImageAsync("not-yours-to-force", new JsonObject { ["endOfLife"] = "2020-06-30" });

        var acceptance = await CreateAsync(Request(imageId) with { Force = true }, Distributor);

        Assert.Equal((403, "force"), (acceptance.Refusal?.StatusCode, acceptance.Refusal?.Field));
        Assert.Contains("operators", acceptance.Refusal!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_trust_of_the_image_was_withdrawn_it_is_refused_with_the_reason_unless_an_operator_forces_it()
    {
        var reason = "certificate CN=Vendor revoked by CN=Acme CA on 2026-12-01 08:00:00 UTC (keyCompromise)";
        var imageId = await ImageAsync("untrusted", new JsonObject { ["trust"] = "withdrawn", ["trustWithdrawnReason"] = reason });

        var refused = await CreateAsync(Request(imageId), Distributor);
        var forced = await CreateAsync(Request(imageId) with { Force = true }, Operator);

        Assert.Equal(409, refused.Refusal?.StatusCode);
        Assert.Equal($"Image untrusted 1.0 is no longer trusted: {reason}; an operator may distribute it anyway with force: true.", refused.Refusal!.Detail);
        Assert.True(forced.Accepted, forced.Refusal?.Detail);
    }

    [Fact]
    public async Task When_failed_targets_of_an_accepted_distribution_are_retried_after_the_end_of_life_the_retry_is_accepted()
    {
        var imageId = await ImageAsync("retried");
        var first = Request(imageId);
        Assert.True((await CreateAsync(first, Distributor)).Accepted);
        _catalog.Add(imageId, "retried", "1.0", new JsonObject { ["endOfLife"] = "2020-06-30" });

        var retry = await CreateAsync(Request(imageId) with { VimIds = [Vims[1]], RetryOf = first.DistributionId }, Distributor);
        var unrelated = await CreateAsync(Request(imageId) with { VimIds = [Vims[1]], RetryOf = Guid.NewGuid() }, Distributor);

        Assert.True(retry.Accepted, retry.Refusal?.Detail);
        Assert.Equal(409, unrelated.Refusal?.StatusCode);
    }

    [Fact]
    public async Task When_so_asks_on_the_bus_for_an_image_past_its_end_of_life_it_is_refused_with_the_date()
    {
        var imageId = await ImageAsync("bus", new JsonObject { ["endOfLife"] = "2021-01-31" });
        var request = Request(imageId) with { Tenant = "acme" };

        await Harness.Bus.Publish(request);

        Assert.True(await Harness.Published.Any<DistributionRefused>(x => x.Context.Message.DistributionId == request.DistributionId));
        var refused = Harness.Published.Select<DistributionRefused>(x => x.Context.Message.DistributionId == request.DistributionId).Single().Context.Message;
        Assert.Equal("Image bus 1.0 reached its end of life on 2021-01-31; an operator may distribute it anyway with force: true.", refused.Reason);
    }

    async Task<Guid> ImageAsync(string name, JsonObject? fields = null)
    {
        var image = await database.AddImageAsync(owner: null);
        _catalog.Add(image.Id, name, "1.0", fields);
        return image.Id;
    }

    static DistributeRequested Request(Guid imageId) => new()
    {
        DistributionId = NewId.NextGuid(),
        ImageId = imageId,
        VimIds = Vims,
        RequestedAt = DateTimeOffset.UtcNow,
    };

    async Task<DistributionAcceptance> CreateAsync(DistributeRequested request, ForwardedCaller requester)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DistributionCreation>().CreateAsync(request, requester, null, null, CancellationToken.None);
    }

    DistributionDbContext Database() => new(database.Options);
}

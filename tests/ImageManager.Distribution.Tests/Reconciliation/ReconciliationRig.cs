using System.Security.Cryptography;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Reconciliation;
using ImageManager.Distribution.Tests.Drivers;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Reconciliation;

/// <summary>
/// Reconciliation as the service runs it, on a real PostgreSQL database and the VIM simulator: the pass with the real
/// drivers, the target-progress consumer and the saga on the in-memory bus (so a drifted event goes where it goes in
/// production), and helpers that put images on simulated VIMs and record them as distributed.
/// </summary>
public sealed class ReconciliationRig(DistributionDatabase database, int batchSize = 500) : IAsyncDisposable
{
    ServiceProvider _provider = null!;

    public VimSimulator.VimSimulator Simulator { get; private set; } = null!;

    public ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public async Task StartAsync()
    {
        Simulator = await VimSimulator.VimSimulator.StartAsync();
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString))
            .AddDbContext<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString), optionsLifetime: ServiceLifetime.Singleton)
            .AddSingleton<VimCredentialProtector>()
            .AddSingleton<VimConnector>()
            .AddSingleton<TransferBudgets>()
            .AddSingleton<KeystoneTokenCache>()
            .AddSingleton<IVimDriver, GlanceDriver>()
            .AddSingleton<IVimDriver, MulticloudDriver>()
            .AddScoped<ReconciliationPass>()
            .Configure<ReconciliationOptions>(options => (options.BatchSize, options.CheckTimeout) = (batchSize, TimeSpan.FromSeconds(5)))
            // The simulated VIMs listen on loopback, which production refuses by default.
            .Configure<DistributionOptions>(options => options.AllowPrivateVimAddresses = true)
            .AddScoped<TargetChangeRecorder>()
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<TargetProgressConsumer, TargetProgressConsumerDefinition>();
                x.AddSagaStateMachine<DistributionStateMachine, DistributionState, DistributionStateDefinition>().OptimisticPostgresRepository();
            })
            .AddDataProtection().UseEphemeralDataProtectionProvider().Services
            .BuildServiceProvider(true);
        await Harness.Start();
    }

    public async Task<ReconciliationReport> RunAsync(bool repair = false, Guid? imageId = null)
    {
        await using var scope = _provider.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ReconciliationPass>().RunAsync(repair, imageId, waitForOtherPass: true, CancellationToken.None))!;
    }

    public async Task<Vim> AddVimAsync(string id, string type = "openstack")
    {
        var vim = new Vim
        {
            Id = id,
            Type = type,
            Endpoint = type == "openstack" ? Simulator.EndpointOf(id) : Simulator.Multicloud.Endpoint,
            Tenant = type == "openstack" ? null : "tenant-1",
        };
        await using var db = Db();
        db.Vims.Add(vim);
        await db.SaveChangesAsync();
        return vim;
    }

    public async Task<(DistributableImage Image, byte[] Bytes)> AddImageAsync(int size = 4096)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var image = new DistributableImage
        {
            Id = Guid.NewGuid(),
            Name = $"reconcile-{Guid.NewGuid():N}"[..20],
            Version = "1",
            Kind = "vm-image",
            DiskFormat = "raw",
            ContainerFormat = "bare",
            SizeBytes = size,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Sha512 = Convert.ToHexStringLower(SHA512.HashData(bytes)),
        };
        await using var db = Db();
        db.Images.Add(image);
        await db.SaveChangesAsync();
        return (image, bytes);
    }

    /// <summary>Puts the image on the VIM through its driver and records a completed distribution whose one target holds it.</summary>
    public async Task<DistributionTarget> DistributedAsync(DistributableImage image, byte[] bytes, Vim vim, string state = TargetStates.Active, DateTimeOffset? at = null)
    {
        var driver = _provider.GetServices<IVimDriver>().Single(d => d.VimType == vim.Type);
        var connection = _provider.GetRequiredService<VimConnector>().Connect(vim);
        var uploaded = await driver.EnsurePresentAsync(
            new VimUpload(connection, image, Guid.NewGuid().ToString(), () => new MemoryStream(bytes), () => Task.CompletedTask, new RecordingCopyClaims()), CancellationToken.None);
        return await RecordAsync(image, vim.Id, state, uploaded.VimImageId, at);
    }

    /// <summary>A completed distribution of the image with one target on the VIM, in the given state.</summary>
    public async Task<DistributionTarget> RecordAsync(DistributableImage image, string vimId, string state, string? vimImageId, DateTimeOffset? at = null)
    {
        var now = at ?? DateTimeOffset.UtcNow;
        var target = new DistributionTarget
        {
            DistributionId = NewId.NextGuid(),
            VimId = vimId,
            State = state,
            Attempt = 1,
            Progress = TargetProgress.Of(1, state),
            VimImageId = vimImageId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = Db();
        db.Distributions.Add(new DistributionState
        {
            CorrelationId = target.DistributionId,
            CurrentState = "Completed",
            ImageId = image.Id,
            RequestedAt = now,
            UpdatedAt = now,
            CompletedAt = now,
            Outcome = DistributionOutcomes.Succeeded,
            TargetCount = 1,
            ActiveCount = 1,
            Targets = [target],
        });
        await db.SaveChangesAsync();
        return await TargetAsync(target); // as stored: PostgreSQL keeps microseconds
    }

    public async Task<DistributionTarget> TargetAsync(DistributionTarget target)
    {
        await using var db = Db();
        return await db.Targets.AsNoTracking().SingleAsync(t => t.DistributionId == target.DistributionId && t.VimId == target.VimId);
    }

    DistributionDbContext Db() => _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

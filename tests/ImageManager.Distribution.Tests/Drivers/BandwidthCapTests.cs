using System.Diagnostics;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Tests.Budgets;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// A VIM's bandwidth cap as its connection applies it, through the budgets (<see cref="BudgetHandler"/>). Only lower
/// bounds of time are asserted: bytes cannot arrive faster than the cap lets them, however fast or slow this machine is.
/// </summary>
public sealed class BandwidthCapTests : IAsyncLifetime
{
    readonly TransferBudgets _budgets = UnsharedBudgets.Create();
    VimSimulator.VimSimulator _simulator = null!;
    VimConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _connector = new VimConnector(new VimCredentialProtector(new EphemeralDataProtectionProvider()), Options.Create(new DistributionOptions { AllowPrivateVimAddresses = true }), TimeProvider.System, _budgets);
    }

    public async Task DisposeAsync()
    {
        _connector.Dispose();
        _budgets.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task When_a_write_is_capped_it_arrives_whole_and_no_faster_than_the_cap()
    {
        var target = new MemoryStream();
        var bytes = new byte[64 * 1024];
        Random.Shared.NextBytes(bytes);
        using var ticket = _budgets.Begin("cap_write", 32 * 1024);
        var started = Stopwatch.GetTimestamp();

        await new BudgetedWriteStream(target, ticket).WriteAsync(bytes);

        Assert.Equal(bytes, target.ToArray());
        // 64 KiB at 32 KiB/s is 2 s, less the tenth of a second a full bucket holds at the start.
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.8), $"took {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public async Task When_a_vim_has_a_bandwidth_cap_what_its_connection_sends_is_paced_and_other_vims_are_left_alone()
    {
        var image = DriverTestImage.Random(128 * 1024);
        var driver = new GlanceDriver(new KeystoneTokenCache(TimeProvider.System));

        await driver.EnsurePresentAsync(Upload(new Vim { Id = "cap_free", Type = "openstack", Endpoint = _simulator.EndpointOf("cap_free") }, image), CancellationToken.None);
        var countedUncapped = _budgets.Shares.NewVim.CurrentCount;
        var started = Stopwatch.GetTimestamp();
        await driver.EnsurePresentAsync(Upload(new Vim { Id = "cap_slow", Type = "openstack", Endpoint = _simulator.EndpointOf("cap_slow"), BandwidthLimitBytesPerSecond = 64 * 1024 }, image), CancellationToken.None);
        var capped = Stopwatch.GetElapsedTime(started);

        Assert.Equal(0, countedUncapped); // no budget bounds it: neither counted nor paced
        Assert.True(_budgets.Shares.NewVim.CurrentCount > 0, "the capped VIM's transfer was counted");
        Assert.True(capped >= TimeSpan.FromSeconds(1.8), $"128 KiB at 64 KiB/s takes about 2 s; it took {capped}");
        Assert.Equal(image.Image.Sha512, Assert.Single(_simulator.ImagesOf("cap_slow")).Sha512);
    }

    VimUpload Upload(Vim vim, DriverTestImage image) =>
        new(_connector.Connect(vim), image.Image, Guid.NewGuid().ToString(), image.Open, () => Task.CompletedTask, new RecordingCopyClaims());
}

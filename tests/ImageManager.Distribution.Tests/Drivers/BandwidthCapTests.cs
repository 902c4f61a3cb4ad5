using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The bandwidth cap as a VIM's connection applies it, timed on a clock that steps instead of sleeping: what the pacing
/// would wait is read off the clock, so no test waits for it and no assertion depends on this machine's speed.
/// </summary>
public sealed class BandwidthCapTests : IAsyncLifetime
{
    readonly SteppingClock _clock = new();
    VimSimulator.VimSimulator _simulator = null!;
    VimConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _connector = new VimConnector(new VimCredentialProtector(new EphemeralDataProtectionProvider()), Options.Create(new DistributionOptions { AllowPrivateVimAddresses = true }), _clock);
    }

    public async Task DisposeAsync()
    {
        _connector.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task When_a_write_is_capped_it_goes_in_small_slices_no_faster_than_the_cap()
    {
        var target = new MemoryStream();
        var bytes = new byte[256 * 1024];
        Random.Shared.NextBytes(bytes);

        await new ThrottledWriteStream(target, 64 * 1024, _clock).WriteAsync(bytes);

        Assert.Equal(bytes, target.ToArray());
        Assert.InRange(_clock.Waited, TimeSpan.FromSeconds(3.9), TimeSpan.FromSeconds(4.1)); // 256 KiB at 64 KiB/s
    }

    [Fact]
    public async Task When_a_vim_has_a_bandwidth_cap_what_its_connection_sends_is_paced_and_other_vims_are_left_alone()
    {
        var image = DriverTestImage.Random(256 * 1024);
        var driver = new GlanceDriver(new KeystoneTokenCache(TimeProvider.System));

        await driver.EnsurePresentAsync(Upload(new Vim { Id = "cap_free", Type = "openstack", Endpoint = _simulator.EndpointOf("cap_free") }, image), CancellationToken.None);
        var uncapped = _clock.Waited;
        await driver.EnsurePresentAsync(Upload(new Vim { Id = "cap_slow", Type = "openstack", Endpoint = _simulator.EndpointOf("cap_slow"), BandwidthLimitBytesPerSecond = 64 * 1024 }, image), CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, uncapped);
        Assert.True(_clock.Waited >= TimeSpan.FromSeconds(3.5), $"256 KiB at 64 KiB/s would wait about 4 s; it waited {_clock.Waited}");
        Assert.Equal(image.Image.Sha512, Assert.Single(_simulator.ImagesOf("cap_slow")).Sha512);
    }

    VimUpload Upload(Vim vim, DriverTestImage image) =>
        new(_connector.Connect(vim), image.Image, Guid.NewGuid().ToString(), image.Open, () => Task.CompletedTask, new RecordingCopyClaims());
}

using System.Security.Cryptography;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Vims;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>A VIM that goes silent releases the call within the stall timeout; an upload that keeps moving is never cut short.</summary>
public sealed class StalledRequestHandlerTests : IAsyncLifetime
{
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);
    VimSimulator.VimSimulator _simulator = null!;
    readonly HttpClient _http = new(new StalledRequestHandler(Stall, TimeProvider.System) { InnerHandler = new SocketsHttpHandler() });

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task When_a_vim_never_answers_the_upload_ends_as_transient_naming_the_stall()
    {
        _simulator.Configure("stall_silent", new SimulatedVimBehaviour { FailWith = Fault.Hang });

        var error = await Assert.ThrowsAsync<VimTransientException>(() => new GlanceDriver(new KeystoneTokenCache(TimeProvider.System)).EnsurePresentAsync(Upload("stall_silent", new byte[10]), CancellationToken.None));

        Assert.Contains("no progress for 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_upload_is_slow_but_moving_it_goes_on_past_the_stall_timeout()
    {
        _simulator.Configure("stall_slow", new SimulatedVimBehaviour { BandwidthBytesPerSecond = 100_000 });
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var result = await new GlanceDriver(new KeystoneTokenCache(TimeProvider.System)).EnsurePresentAsync(Upload("stall_slow", bytes), CancellationToken.None);

        // At 100,000 bytes/s the VIM takes three times the stall timeout to read 300,000 bytes, yet never stops reading.
        Assert.Equal(300_000, result.BytesSent);
        Assert.Equal(300_000, Assert.Single(_simulator.UploadLog, u => u.VimId == "stall_slow").Bytes);
    }

    VimUpload Upload(string vimId, byte[] bytes)
    {
        var vim = new Vim { Id = vimId, Type = "openstack", Endpoint = _simulator.EndpointOf(vimId) };
        var image = DriverTestImage.Of(bytes);
        return new VimUpload(new VimConnection(vim, null, _http), image.Image, Guid.NewGuid().ToString(), image.Open, () => Task.CompletedTask, new RecordingCopyClaims());
    }
}

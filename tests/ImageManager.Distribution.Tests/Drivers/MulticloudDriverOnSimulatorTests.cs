using System.Security.Cryptography;
using ImageManager.Distribution.Drivers;
using ImageManager.VimSimulator;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The Multicloud driver contract against the simulator's Multicloud subset (no real Multicloud runs here), and what
/// only the simulator can arrange: faults, basic authentication, and a plugin that hides the hashes.
/// </summary>
public sealed class MulticloudDriverOnSimulatorTests : MulticloudDriverContract, IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    protected override Uri Endpoint => _simulator.Multicloud.Endpoint;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_an_image_is_ensured_present_twice_the_bytes_are_sent_once_and_the_second_call_finds_it_by_name()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var upload = Upload("mc_counted", bytes);

        await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal(1, _simulator.UploadsTo("mc_counted"));
        var image = Assert.Single(_simulator.Multicloud.ImagesOf("mc_counted", Tenant));
        Assert.Equal(("active", upload.Image.Sha512), (image.Status, image.Sha512));
    }

    [Fact]
    public async Task When_a_vim_answers_500_every_time_the_error_is_transient_and_quotes_it()
    {
        _simulator.Configure("mc_broken", new SimulatedVimBehaviour { FailWith = Fault.Status(500) });

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(Upload("mc_broken", [1, 2, 3]), CancellationToken.None));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vim_resets_the_connection_the_check_is_transient_not_drift()
    {
        _simulator.Configure("mc_reset", new SimulatedVimBehaviour { FailWith = Fault.ResetConnection });
        var upload = Upload("mc_reset", [1]);

        await Assert.ThrowsAsync<VimTransientException>(() => Driver.CheckPresentAsync(upload.Connection, Guid.NewGuid().ToString(), upload.Image, CancellationToken.None));
    }

    [Fact]
    public async Task When_a_vim_wants_basic_credentials_they_are_sent_and_without_them_the_upload_is_refused_with_401()
    {
        _simulator.Configure("mc_guarded", new SimulatedVimBehaviour { BasicCredentials = "onap:secret" });
        var upload = Upload("mc_guarded", RandomNumberGenerator.GetBytes(100));

        var refused = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));
        var accepted = await Driver.EnsurePresentAsync(
            upload with { Connection = Connection("mc_guarded", Endpoint, new VimCredentials { Username = "onap", Password = "secret" }) }, CancellationToken.None);

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
        Assert.Equal(100, accepted.BytesSent);
    }

    [Fact]
    public async Task When_multicloud_hides_the_hashes_an_image_is_proved_by_status_and_size_only()
    {
        _simulator.Configure("mc_vio", new SimulatedVimBehaviour { HashesHidden = true });
        var bytes = RandomNumberGenerator.GetBytes(2000);
        var upload = Upload("mc_vio", bytes);
        var claimedOtherBytes = upload with { Image = With(upload.Image, sha512: new string('a', 128)) };

        var result = await Driver.EnsurePresentAsync(claimedOtherBytes, CancellationToken.None);
        var resized = await Driver.CheckPresentAsync(upload.Connection, result.VimImageId, With(upload.Image, sizeBytes: 1999), CancellationToken.None);

        Assert.Equal(2000, result.BytesSent); // what this API cannot tell apart: the size matches, the hash is not shown
        Assert.False(resized.Intact);
    }

    [Fact]
    public async Task When_the_image_is_still_being_saved_from_an_earlier_attempt_the_upload_waits_for_a_retry()
    {
        _simulator.Multicloud.TransferDelay = TimeSpan.FromMinutes(5);
        var upload = Upload("mc_slow", RandomNumberGenerator.GetBytes(100));
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Driver.EnsurePresentAsync(upload, deadline.Token));
        }

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("queued", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _simulator.UploadsTo("mc_slow"));
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// What the Multicloud driver must do against any ONAP Multicloud image service. There is no real Multicloud on these
/// machines (it is a Django service of ONAP with its own dependencies, not a Debian package), so the contract runs
/// against the simulator's Multicloud subset only (<see cref="MulticloudDriverOnSimulatorTests"/>), which is shaped
/// after the Multicloud plugins' code and swagger; a real Multicloud would be a second subclass.
/// </summary>
public abstract class MulticloudDriverContract : IDisposable
{
    protected const string Tenant = "tenant-1";

    /// <summary>The Multicloud API base.</summary>
    protected abstract Uri Endpoint { get; }

    readonly HttpClient _http = new();

    protected MulticloudDriver Driver { get; } = new();

    [Fact]
    public async Task When_a_file_is_uploaded_it_is_awaited_until_active_proved_and_found_by_name_on_a_second_call()
    {
        var bytes = RandomNumberGenerator.GetBytes(700_001);
        var upload = Upload("mc_first", bytes);
        var verifying = 0;
        upload = upload with { OnVerifying = () => { verifying++; return Task.CompletedTask; } };

        var first = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        var second = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal((700_001L, false), (first.BytesSent, first.AlreadyPresent));
        Assert.Equal((first.VimImageId, 0L, true), (second.VimImageId, second.BytesSent, second.AlreadyPresent));
        Assert.Equal(1, verifying);
        var stored = (await _http.GetFromJsonAsync<JsonObject>(new Uri(Endpoint, $"mc_first/{Tenant}/images/{first.VimImageId}")))!;
        Assert.Equal(("active", MulticloudDriver.ImageName(upload.Image), "raw", "bare"),
            (stored["status"]!.GetValue<string>(), stored["name"]!.GetValue<string>(), stored["imageType"]!.GetValue<string>(), stored["containerFormat"]!.GetValue<string>()));
        Assert.Equal(upload.Image.Id.ToString(), stored["properties"]!["image_manager_image_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_vims_hash_differs_from_ours_the_upload_is_rejected_naming_both()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var wrong = new string('e', 128);
        var upload = Upload("mc_second", bytes);
        upload = upload with { Image = With(upload.Image, sha512: wrong) };

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains(wrong, error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(bytes)), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_multicloud_refuses_the_request_the_error_is_permanent_and_says_what_it_said()
    {
        var upload = Upload("mc_first", [1, 2, 3]);
        upload = upload with { Image = With(upload.Image, diskFormat: "floppy") };

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("floppy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_vim_is_unreachable_the_error_is_transient()
    {
        var upload = Upload("mc_first", [1]) with { Connection = Connection("mc_first", new Uri("http://127.0.0.1:9/api/multicloud/v0/")) };

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_image_is_removed_it_is_gone_and_removing_it_again_is_harmless()
    {
        var upload = Upload("mc_second", RandomNumberGenerator.GetBytes(5000));
        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        await Driver.RemoveAsync(upload.Connection, result.VimImageId, CancellationToken.None);
        await Driver.RemoveAsync(upload.Connection, result.VimImageId, CancellationToken.None);

        using var gone = await _http.GetAsync(new Uri(Endpoint, $"mc_second/{Tenant}/images/{result.VimImageId}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task When_an_uploaded_image_is_checked_it_is_intact_and_once_deleted_or_different_it_is_drifted()
    {
        var upload = Upload("mc_first", RandomNumberGenerator.GetBytes(3000));
        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var intact = await Driver.CheckPresentAsync(upload.Connection, result.VimImageId, upload.Image, CancellationToken.None);
        var resized = await Driver.CheckPresentAsync(upload.Connection, result.VimImageId, With(upload.Image, sizeBytes: 3001), CancellationToken.None);
        await Driver.RemoveAsync(upload.Connection, result.VimImageId, CancellationToken.None);
        var gone = await Driver.CheckPresentAsync(upload.Connection, result.VimImageId, upload.Image, CancellationToken.None);

        Assert.True(intact.Intact);
        Assert.False(resized.Intact);
        Assert.Contains("3001", resized.Problem, StringComparison.Ordinal);
        Assert.False(gone.Intact);
        Assert.Contains(result.VimImageId, gone.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_vims_are_probed_a_live_one_answers_and_an_unreachable_one_is_transient()
    {
        await Driver.ProbeAsync(Connection("mc_first", Endpoint), CancellationToken.None);
        await Assert.ThrowsAsync<VimTransientException>(() => Driver.ProbeAsync(Connection("mc_first", new Uri("http://127.0.0.1:9/")), CancellationToken.None));
    }

    protected VimConnection Connection(string vimId, Uri endpoint, VimCredentials? credentials = null) =>
        new(new Vim { Id = vimId, Type = "onap-multicloud", Endpoint = endpoint, Tenant = Tenant }, credentials, _http);

    protected VimUpload Upload(string vimId, byte[] bytes)
    {
        var image = new DistributableImage
        {
            Id = Guid.NewGuid(),
            Name = $"driver-test-{Guid.NewGuid():N}"[..20],
            Version = "1",
            Kind = "vm-image",
            DiskFormat = "raw",
            ContainerFormat = "bare",
            SizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Sha512 = Convert.ToHexStringLower(SHA512.HashData(bytes)),
        };
        return new VimUpload(Connection(vimId, Endpoint), image, Guid.NewGuid().ToString(), () => new MemoryStream(bytes), () => Task.CompletedTask, new RecordingCopyClaims());
    }

    protected static DistributableImage With(DistributableImage image, string? sha512 = null, string? diskFormat = null, long? sizeBytes = null) => new()
    {
        Id = image.Id,
        Name = image.Name,
        Version = image.Version,
        Kind = image.Kind,
        DiskFormat = diskFormat ?? image.DiskFormat,
        ContainerFormat = image.ContainerFormat,
        SizeBytes = sizeBytes ?? image.SizeBytes,
        Sha256 = image.Sha256,
        Sha512 = sha512 ?? image.Sha512,
    };

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}

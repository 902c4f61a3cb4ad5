using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using ImageManager.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>The Glance driver against the real local Glance.</summary>
public sealed class GlanceDriverTests : IAsyncDisposable
{
    readonly ServiceProvider _provider = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    readonly List<string> _created = [];

    GlanceDriver Driver => new(_provider.GetRequiredService<IHttpClientFactory>());

    [Fact]
    public async Task Should_upload_the_bytes_and_prove_them_by_glances_sha512_and_find_them_on_a_second_call()
    {
        var bytes = RandomNumberGenerator.GetBytes(700_001);
        var upload = Upload(Infrastructure.Glance1, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes)));
        var verifying = 0;
        upload = upload with { OnVerifying = () => { verifying++; return Task.CompletedTask; } };

        var first = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        var second = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal((upload.VimImageId, 700_001L), (first.VimImageId, first.BytesSent));
        Assert.Equal(0, second.BytesSent); // already active: verified, not sent again
        Assert.Equal(2, verifying);
        using var http = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        var stored = (await http.GetFromJsonAsync<JsonObject>($"/v2/images/{upload.VimImageId}"))!;
        Assert.Equal("active", stored["status"]!.GetValue<string>());
        Assert.Equal(upload.Image.Sha512, stored["os_hash_value"]!.GetValue<string>());
        Assert.Equal(upload.Image.Id.ToString(), stored["image_manager_image_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_glances_hash_differs_from_ours_the_upload_is_rejected_naming_both()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var wrong = new string('e', 128);

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(Upload(Infrastructure.Glance2, bytes, wrong), CancellationToken.None));

        Assert.Contains(wrong, error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(bytes)), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_glance_refuses_the_request_the_error_is_permanent_and_says_what_glance_said()
    {
        var upload = Upload(Infrastructure.Glance1, [1, 2, 3], "x");
        upload = upload with { Image = new DistributableImage { Id = upload.Image.Id, Name = "bad", Version = "1", Kind = "vm-image", DiskFormat = "floppy", Sha256 = "x", Sha512 = "x" } };

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains("floppy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_vim_is_unreachable_the_error_is_transient()
    {
        var upload = Upload(new Uri("http://127.0.0.1:9/"), [1], "x");

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    VimUpload Upload(Uri glance, byte[] bytes, string sha512)
    {
        var vimImageId = Guid.NewGuid().ToString();
        _created.Add($"{glance}|{vimImageId}");
        var vim = new Vim { Id = "test_glance", Type = "openstack", Endpoint = glance };
        var image = new DistributableImage
        {
            Id = Guid.NewGuid(),
            Name = $"driver-test-{vimImageId[..8]}",
            Version = "1",
            Kind = "vm-image",
            DiskFormat = "raw",
            ContainerFormat = "bare",
            SizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Sha512 = sha512,
        };
        return new VimUpload(vim, image, vimImageId, () => new MemoryStream(bytes), () => Task.CompletedTask);
    }

    public async ValueTask DisposeAsync()
    {
        using var http = new HttpClient();
        foreach (var entry in _created)
        {
            var (glance, id) = (entry.Split('|')[0], entry.Split('|')[1]);
            try
            {
                using var _ = await http.DeleteAsync(new Uri(new Uri(glance), $"v2/images/{id}"));
            }
            catch (HttpRequestException)
            {
            }
        }

        await _provider.DisposeAsync();
    }
}

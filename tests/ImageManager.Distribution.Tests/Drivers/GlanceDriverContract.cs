using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;
using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// What the Glance driver must do against any Glance: run against the real local Glance instances
/// (<see cref="GlanceDriverOnRealGlanceTests"/>) and against the VIM simulator (<see cref="GlanceDriverOnSimulatorTests"/>),
/// so that the simulator the scale tests rely on answers as the real thing does.
/// </summary>
public abstract class GlanceDriverContract : IAsyncDisposable
{
    /// <summary>Two VIMs of the kind under test.</summary>
    protected abstract Uri First { get; }

    protected abstract Uri Second { get; }

    readonly HttpClient _http = new();
    readonly List<string> _created = [];

    protected GlanceDriver Driver { get; } = new(new KeystoneTokenCache(TimeProvider.System));

    [Fact]
    public async Task When_bytes_are_uploaded_they_are_proved_by_glances_sha512_and_found_on_a_second_call()
    {
        var bytes = RandomNumberGenerator.GetBytes(700_001);
        var upload = Upload(First, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes)));
        var verifying = 0;
        upload = upload with { OnVerifying = () => { verifying++; return Task.CompletedTask; } };

        var first = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        var second = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal((upload.VimImageId, 700_001L), (first.VimImageId, first.BytesSent));
        Assert.Equal(0, second.BytesSent); // already active: verified, not sent again
        Assert.Equal(2, verifying);
        using var http = new HttpClient();
        var stored = (await http.GetFromJsonAsync<JsonObject>(new Uri(First, $"v2/images/{upload.VimImageId}")))!;
        Assert.Equal("active", stored["status"]!.GetValue<string>());
        Assert.Equal(upload.Image.Sha512, stored["os_hash_value"]!.GetValue<string>());
        Assert.Equal(upload.Image.Id.ToString(), stored["image_manager_image_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_glances_hash_differs_from_ours_the_upload_is_rejected_naming_both()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var wrong = new string('e', 128);

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(Upload(Second, bytes, wrong), CancellationToken.None));

        Assert.Contains(wrong, error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(bytes)), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_glance_refuses_the_request_the_error_is_permanent_and_says_what_glance_said()
    {
        var upload = Upload(First, [1, 2, 3], "x");
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

    [Fact]
    public async Task When_the_vim_already_holds_the_same_bytes_nothing_is_sent_and_its_image_is_named()
    {
        var bytes = RandomNumberGenerator.GetBytes(20_000);
        var sha512 = Convert.ToHexStringLower(SHA512.HashData(bytes));
        var first = Upload(First, bytes, sha512);
        await Driver.EnsurePresentAsync(first, CancellationToken.None);
        var second = Upload(First, bytes, sha512) with { Image = first.Image };

        var result = await Driver.EnsurePresentAsync(second, CancellationToken.None);

        Assert.Equal((first.VimImageId, 0L, true), (result.VimImageId, result.BytesSent, result.AlreadyPresent));
        using var http = new HttpClient();
        using var none = await http.GetAsync(new Uri(First, $"v2/images/{second.VimImageId}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task When_an_image_is_removed_it_is_gone_and_removing_it_again_is_harmless()
    {
        var bytes = RandomNumberGenerator.GetBytes(5000);
        var upload = Upload(Second, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes)));
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        await Driver.RemoveAsync(upload.Connection, upload.VimImageId, CancellationToken.None);
        await Driver.RemoveAsync(upload.Connection, upload.VimImageId, CancellationToken.None);

        using var http = new HttpClient();
        using var gone = await http.GetAsync(new Uri(Second, $"v2/images/{upload.VimImageId}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task When_an_uploaded_image_is_checked_it_is_intact_and_once_deleted_it_is_drifted()
    {
        var bytes = RandomNumberGenerator.GetBytes(3000);
        var upload = Upload(First, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes)));
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var intact = await Driver.CheckPresentAsync(upload.Connection, upload.VimImageId, upload.Image, CancellationToken.None);
        await Driver.RemoveAsync(upload.Connection, upload.VimImageId, CancellationToken.None);
        var gone = await Driver.CheckPresentAsync(upload.Connection, upload.VimImageId, upload.Image, CancellationToken.None);

        Assert.True(intact.Intact);
        Assert.False(gone.Intact);
        Assert.Contains(upload.VimImageId, gone.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_image_is_deactivated_glance_shows_it_deactivated_and_reactivating_makes_it_active_again()
    {
        var bytes = RandomNumberGenerator.GetBytes(4000);
        var upload = Upload(First, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes)));
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var deactivated = await Driver.DeactivateAsync(upload.Connection, upload.VimImageId, CancellationToken.None);
        var again = await Driver.DeactivateAsync(upload.Connection, upload.VimImageId, CancellationToken.None);
        var whileDeactivated = await StatusAsync(First, upload.VimImageId);
        var check = await Driver.CheckPresentAsync(upload.Connection, upload.VimImageId, upload.Image, CancellationToken.None);
        var reactivated = await Driver.ReactivateAsync(upload.Connection, upload.VimImageId, CancellationToken.None);

        Assert.Equal((true, true, "deactivated"), (deactivated, again, whileDeactivated));
        Assert.False(check.Intact);
        Assert.Contains("'deactivated'", check.Problem, StringComparison.Ordinal);
        Assert.True(reactivated);
        Assert.Equal("active", await StatusAsync(First, upload.VimImageId));
    }

    [Fact]
    public async Task When_the_image_to_deactivate_is_missing_the_driver_says_so_and_one_without_data_is_refused()
    {
        var missing = Upload(Second, [1], "x");
        var empty = Upload(Second, [1], "x");
        using (var created = await _http.PostAsJsonAsync(new Uri(Second, "v2/images"), new JsonObject { ["id"] = empty.VimImageId, ["name"] = "queued", ["disk_format"] = "raw", ["container_format"] = "bare" }))
        {
            created.EnsureSuccessStatusCode();
        }

        var found = await Driver.DeactivateAsync(missing.Connection, missing.VimImageId, CancellationToken.None);
        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.DeactivateAsync(empty.Connection, empty.VimImageId, CancellationToken.None));

        Assert.False(found);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("queued", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_vims_are_probed_a_live_one_answers_and_an_unreachable_one_is_transient()
    {
        var live = Upload(First, [1], "x").Connection;
        var dead = Upload(new Uri("http://127.0.0.1:9/"), [1], "x").Connection;

        await Driver.ProbeAsync(live, CancellationToken.None);
        await Assert.ThrowsAsync<VimTransientException>(() => Driver.ProbeAsync(dead, CancellationToken.None));
    }

    [Fact]
    public async Task When_a_vim_takes_web_downloads_it_pulls_the_bytes_from_our_download_url_and_they_are_proved_by_its_sha512()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_001);
        var pulls = 0;
        using var source = new LoopbackHttpServer(async context =>
        {
            Interlocked.Increment(ref pulls);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
        });
        var verifying = 0;
        var pulling = Pulling(Upload(First, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes))), new Uri(source.Address, "api/v1/images/x/file"));
        var upload = pulling with
        {
            OpenContent = () => throw new InvalidOperationException("A web-download VIM pulls; nothing is read here."),
            OnVerifying = () => { verifying++; return Task.CompletedTask; },
        };

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal((upload.VimImageId, 300_001L, false, 1, 1), (result.VimImageId, result.BytesSent, result.AlreadyPresent, pulls, verifying));
        using var http = new HttpClient();
        var stored = (await http.GetFromJsonAsync<JsonObject>(new Uri(First, $"v2/images/{upload.VimImageId}")))!;
        Assert.Equal(("active", upload.Image.Sha512), (stored["status"]!.GetValue<string>(), stored["os_hash_value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_the_vim_cannot_download_the_import_fails_transiently_saying_so_and_the_next_attempt_imports_again()
    {
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        var available = false;
        using var source = new LoopbackHttpServer(async context =>
        {
            if (!Volatile.Read(ref available))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
        });
        var url = new Uri(source.Address, "api/v1/images/y/file");
        var upload = Pulling(Upload(Second, bytes, Convert.ToHexStringLower(SHA512.HashData(bytes))), url);

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));
        Volatile.Write(ref available, true);
        var retried = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Contains("os_glance_failed_import", error.Message, StringComparison.Ordinal);
        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal((upload.VimImageId, 50_000L), (retried.VimImageId, retried.BytesSent));
    }

    [Fact]
    public async Task When_no_download_url_is_known_a_web_download_vim_is_refused_before_anything_is_created()
    {
        var upload = Pulling(Upload(First, [1, 2, 3], "x"), null);

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("ImageDownloadBaseUrl", error.Message, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var none = await http.GetAsync(new Uri(First, $"v2/images/{upload.VimImageId}"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
    }

    async Task<string> StatusAsync(Uri glance, string vimImageId) =>
        (await _http.GetFromJsonAsync<JsonObject>(new Uri(glance, $"v2/images/{vimImageId}")))!["status"]!.GetValue<string>();

    protected VimUpload Upload(Uri glance, byte[] bytes, string sha512)
    {
        var vimImageId = Guid.NewGuid().ToString();
        _created.Add($"{glance}|{vimImageId}");
        var vim = new Vim { Id = "test_glance", Type = "openstack", Endpoint = glance };
        var image = DriverTestImage.Of(bytes, sha512);
        return new VimUpload(new VimConnection(vim, null, _http), image.Image, vimImageId, image.Open, () => Task.CompletedTask, new RecordingCopyClaims());
    }

    /// <summary>The same upload to a VIM that pulls the bytes (web-download) from <paramref name="downloadUrl"/>.</summary>
    static VimUpload Pulling(VimUpload upload, Uri? downloadUrl)
    {
        upload.Connection.Vim.UploadMode = VimUploadModes.WebDownload;
        return upload with { DownloadUrl = downloadUrl };
    }

    public virtual async ValueTask DisposeAsync()
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

        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Vims;
using ImageManager.Testing;
using Microsoft.Extensions.Time.Testing;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The Glance driver with Keystone v3 against any Keystone and a Glance behind it: the real Keystone and Glance of
/// infra/infra.sh (<see cref="KeystoneDriverOnRealKeystoneTests"/>) and the simulator's (<see cref="KeystoneDriverOnSimulatorTests"/>),
/// so the simulator answers logins, catalogs, refusals and revoked tokens as Keystone does.
/// </summary>
public abstract class KeystoneDriverContract : IAsyncLifetime
{
    /// <summary>Nothing listens here: a VIM whose endpoint is this can only work through its catalog.</summary>
    protected static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    readonly RecordingHandler _recorder = new();
    readonly HttpClient _http;
    readonly List<(VimConnection Vim, string ImageId)> _created = [];

    protected KeystoneDriverContract()
    {
        _http = new HttpClient(_recorder);
        Driver = new GlanceDriver(new KeystoneTokenCache(Clock));
    }

    protected abstract Uri IdentityUrl { get; }

    /// <summary>The region whose catalog lists <see cref="ProtectedGlance"/> as its public image endpoint.</summary>
    protected abstract string Region { get; }

    /// <summary>A Glance that answers only requests with a token of this Keystone.</summary>
    protected abstract Uri ProtectedGlance { get; }

    /// <summary>A user of its own project, with an application credential, made for one test.</summary>
    protected abstract Task<KeystoneAccount> CreateAccountAsync();

    // Starts at the real time: the tokens' expiry comes from Keystone's clock.
    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected RecordingHandler Recorder => _recorder;

    protected GlanceDriver Driver { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task When_a_password_is_given_the_driver_logs_in_once_and_reaches_glance_through_the_catalog_for_every_call()
    {
        var account = await CreateAccountAsync();
        var vim = Connect(Password(account));
        var image = DriverTestImage.Random(40_000);

        var upload = await UploadAsync(vim, image);
        var intact = await Driver.CheckPresentAsync(vim, upload.VimImageId, image.Image, CancellationToken.None);
        await Driver.ProbeAsync(vim, CancellationToken.None);

        Assert.Equal((1, "password"), (Recorder.Logins, Recorder.LoginMethods.Single()));
        Assert.True(intact.Intact);
        Assert.All(Recorder.ServiceAnswers, answer => Assert.Equal(ProtectedGlance.Authority, answer.Uri.Authority));
        var stored = await ReadAsync(account, upload.VimImageId);
        Assert.Equal(("active", image.Image.Sha512), (stored["status"]!.GetValue<string>(), stored["os_hash_value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_many_calls_come_at_the_same_time_the_driver_logs_in_once()
    {
        var vim = Connect(Password(await CreateAccountAsync()));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Driver.ProbeAsync(vim, CancellationToken.None)));

        Assert.Equal(1, Recorder.Logins);
    }

    [Fact]
    public async Task When_an_application_credential_is_given_the_driver_logs_in_with_it()
    {
        var account = await CreateAccountAsync();
        var vim = Connect(new VimCredentials { ApplicationCredentialId = account.ApplicationCredentialId, ApplicationCredentialSecret = account.ApplicationCredentialSecret });

        var upload = await UploadAsync(vim, DriverTestImage.Random(5_000));

        Assert.Equal((1, "application_credential"), (Recorder.Logins, Recorder.LoginMethods.Single()));
        Assert.Equal("active", (await ReadAsync(account, upload.VimImageId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_password_is_wrong_keystone_refuses_the_credentials_and_the_message_does_not_hold_the_password()
    {
        var account = await CreateAccountAsync();
        var wrong = $"wrong-{Guid.NewGuid():N}";
        var vim = Connect(Password(account) with { Password = wrong });

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.ProbeAsync(vim, CancellationToken.None));

        Assert.Contains("Keystone at", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains(account.UserName, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_application_credential_is_wrong_or_unknown_keystone_refuses_it_without_the_secret_in_the_message()
    {
        var account = await CreateAccountAsync();
        var wrongSecret = Connect(new VimCredentials { ApplicationCredentialId = account.ApplicationCredentialId, ApplicationCredentialSecret = "not-the-secret" });
        var unknown = Connect(new VimCredentials { ApplicationCredentialId = Guid.NewGuid().ToString("N"), ApplicationCredentialSecret = account.ApplicationCredentialSecret });

        var refused = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.ProbeAsync(wrongSecret, CancellationToken.None));
        var notFound = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.ProbeAsync(unknown, CancellationToken.None));

        Assert.All(new[] { refused, notFound }, error =>
        {
            Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(account.ApplicationCredentialSecret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task When_a_token_nears_its_expiry_a_new_one_is_taken_a_few_minutes_before_and_not_sooner()
    {
        var vim = Connect(Password(await CreateAccountAsync()));

        await Driver.ProbeAsync(vim, CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(50)); // tokens live an hour: ten minutes left
        await Driver.ProbeAsync(vim, CancellationToken.None);
        var beforeRenewal = Recorder.Logins;
        Clock.Advance(TimeSpan.FromMinutes(6)); // four minutes left
        await Driver.ProbeAsync(vim, CancellationToken.None);

        Assert.Equal((1, 2), (beforeRenewal, Recorder.Logins));
    }

    [Fact]
    public async Task When_glance_refuses_a_revoked_token_the_driver_logs_in_again_and_repeats_the_request_once()
    {
        var vim = Connect(Password(await CreateAccountAsync()));
        await Driver.ProbeAsync(vim, CancellationToken.None);
        var first = Recorder.LastToken!;

        await RevokeAsync(first);
        await Driver.ProbeAsync(vim, CancellationToken.None);

        Assert.Equal(2, Recorder.Logins);
        Assert.NotEqual(first, Recorder.LastToken);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK], Recorder.ServiceAnswers.Select(a => a.Status));
    }

    [Fact]
    public async Task When_the_credentials_change_the_token_of_the_old_ones_is_not_used()
    {
        var account = await CreateAccountAsync();
        await Driver.ProbeAsync(Connect(Password(account)), CancellationToken.None);

        // The same VIM, patched: a wrong password must be refused, not served by the token of the right one.
        await Assert.ThrowsAsync<VimRejectedException>(() => Driver.ProbeAsync(Connect(Password(account) with { Password = "patched-wrong" }), CancellationToken.None));
        await Driver.ProbeAsync(Connect(new VimCredentials { ApplicationCredentialId = account.ApplicationCredentialId, ApplicationCredentialSecret = account.ApplicationCredentialSecret }), CancellationToken.None);

        Assert.Equal(["password", "password", "application_credential"], Recorder.LoginMethods);
    }

    [Fact]
    public async Task When_the_catalog_lists_no_image_service_in_the_vims_region_the_vims_endpoint_is_used()
    {
        var credentials = Password(await CreateAccountAsync());

        await Driver.ProbeAsync(Connect(credentials, region: "NoSuchRegion", endpoint: ProtectedGlance), CancellationToken.None);
        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.ProbeAsync(Connect(credentials, region: "NoSuchRegion", endpoint: Nowhere), CancellationToken.None));

        Assert.Contains(Nowhere.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_keystone_is_unreachable_the_error_is_transient_and_names_keystone()
    {
        var vim = Connect(Password(await CreateAccountAsync()), identityUrl: new Uri(Nowhere, "v3"));

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.ProbeAsync(vim, CancellationToken.None));

        Assert.Contains("Keystone at http://127.0.0.1:9 is unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vim_behind_keystone_is_registered_without_keystone_glance_refuses_every_call()
    {
        var vim = new VimConnection(new Vim { Id = "ks_without", Type = "openstack", Endpoint = ProtectedGlance }, null, _http);

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.ProbeAsync(vim, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Recorder.Logins);
    }

    [Fact]
    public async Task When_a_web_download_vim_is_behind_keystone_it_pulls_the_bytes_and_the_driver_logs_in_once()
    {
        var account = await CreateAccountAsync();
        var image = DriverTestImage.Random(70_000);
        using var source = new LoopbackHttpServer(async context =>
        {
            context.Response.ContentLength64 = image.Bytes.Length;
            await context.Response.OutputStream.WriteAsync(image.Bytes);
        });
        var vim = Connect(Password(account));
        vim.Vim.UploadMode = VimUploadModes.WebDownload;

        var upload = await UploadAsync(vim, image, new Uri(source.Address, "image"));

        var stored = await ReadAsync(account, upload.VimImageId);
        Assert.Equal(("active", image.Image.Sha512), (stored["status"]!.GetValue<string>(), stored["os_hash_value"]!.GetValue<string>()));
        Assert.Equal(1, Recorder.Logins);
    }

    /// <summary>
    /// What a deactivation means on a VIM: Glance's policy lets the image's project member (not only an admin) deactivate it,
    /// and refuses that member the image's data until it is reactivated (an admin could still download it).
    /// </summary>
    [Fact]
    public async Task When_a_project_member_deactivates_its_image_glance_refuses_the_data_until_it_is_reactivated()
    {
        var account = await CreateAccountAsync();
        var vim = Connect(Password(account));
        var upload = await UploadAsync(vim, DriverTestImage.Random(6_000));

        await Driver.DeactivateAsync(vim, upload.VimImageId, CancellationToken.None);
        var whileDeactivated = await DownloadStatusAsync(account, upload.VimImageId);
        var status = (await ReadAsync(account, upload.VimImageId))["status"]!.GetValue<string>();
        await Driver.ReactivateAsync(vim, upload.VimImageId, CancellationToken.None);
        var reactivated = await DownloadStatusAsync(account, upload.VimImageId);

        Assert.Equal(("deactivated", HttpStatusCode.Forbidden, HttpStatusCode.OK), (status, whileDeactivated, reactivated));
    }

    protected static VimCredentials Password(KeystoneAccount account) =>
        new() { Username = account.UserName, Password = account.Password, ProjectName = account.ProjectName };

    /// <summary>A VIM behind this Keystone, by default in <see cref="Region"/> with an endpoint where nothing listens.</summary>
    protected VimConnection Connect(VimCredentials credentials, string? region = null, Uri? endpoint = null, Uri? identityUrl = null) =>
        new(new Vim { Id = "ks_test", Type = "openstack", Endpoint = endpoint ?? Nowhere, IdentityUrl = identityUrl ?? IdentityUrl, Region = region ?? Region }, credentials, _http);

    protected async Task<VimUpload> UploadAsync(VimConnection vim, DriverTestImage image, Uri? downloadUrl = null)
    {
        var upload = new VimUpload(vim, image.Image, Guid.NewGuid().ToString(), image.Open, () => Task.CompletedTask, new RecordingCopyClaims(), downloadUrl);
        _created.Add((vim, upload.VimImageId));
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        return upload;
    }

    /// <summary>The image as Glance shows it to the account, with a token of its own.</summary>
    async Task<JsonObject> ReadAsync(KeystoneAccount account, string vimImageId)
    {
        using var http = new HttpClient();
        var token = await KeystoneAdmin.LogInAsync(http, IdentityUrl, account.UserName, account.Password, account.ProjectName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ProtectedGlance, $"v2/images/{vimImageId}"));
        request.Headers.Add("X-Auth-Token", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>How Glance answers the account's download of the image's data.</summary>
    async Task<HttpStatusCode> DownloadStatusAsync(KeystoneAccount account, string vimImageId)
    {
        using var http = new HttpClient();
        var token = await KeystoneAdmin.LogInAsync(http, IdentityUrl, account.UserName, account.Password, account.ProjectName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ProtectedGlance, $"v2/images/{vimImageId}/file"));
        request.Headers.Add("X-Auth-Token", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Revokes a token with itself, as its holder may (Keystone's token_subject rule).</summary>
    async Task RevokeAsync(string token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(IdentityUrl.AbsoluteUri.TrimEnd('/') + "/auth/tokens"));
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var (vim, imageId) in _created)
        {
            try
            {
                await Driver.RemoveAsync(vim, imageId, CancellationToken.None);
            }
            catch (Exception exception) when (exception is VimTransientException or VimRejectedException)
            {
            }
        }

        _http.Dispose();
    }
}

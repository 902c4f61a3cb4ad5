using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Oci;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Tests.Budgets;
using ImageManager.Distribution.Vims;
using ImageManager.Oci;
using ImageManager.Testing;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// What the OCI registry driver must do against any registry: run against the real registry from Debian's
/// docker-registry (<see cref="OciRegistryDriverOnRealRegistryTests"/>) and the VIM simulator
/// (<see cref="OciRegistryDriverOnSimulatorTests"/>), so the simulator answers as the real thing does. Blobs above
/// <see cref="MonolithicMax"/> go in chunks of <see cref="ChunkSize"/>; what the registry holds is read back with plain HTTP.
/// </summary>
public abstract class OciRegistryDriverContract : IDisposable
{
    protected const long MonolithicMax = 256 * 1024;
    protected const long ChunkSize = 100 * 1024;

    /// <summary>A registry without auth.</summary>
    protected abstract Uri Registry { get; }

    /// <summary>A registry that wants basic auth, and its user and password.</summary>
    protected abstract (Uri Endpoint, string Username, string Password) BasicAuthRegistry { get; }

    /// <summary>A registry that wants bearer tokens from a token service taking the user and password; how many tokens that service issued so far.</summary>
    protected abstract (Uri Endpoint, string Username, string Password, Func<long> TokensIssued) BearerRegistry { get; }

    protected RecordingHandler Recorder { get; } = new();

    readonly HttpClient _http;
    readonly HttpClient _reader = new();

    protected OciRegistryDriverContract() => _http = new HttpClient(Recorder);

    protected OciRegistryDriver Driver { get; } = new(Options.Create(new OciRegistryOptions { MonolithicUploadMaxBytes = MonolithicMax, ChunkSizeBytes = ChunkSize }), TimeProvider.System);

    [Fact]
    public async Task When_a_docker_save_archive_is_pushed_it_becomes_a_docker_manifest_whose_tag_resolves_to_its_digest()
    {
        var image = TestContainerImage.DockerSave(TestContainerImage.Layer(20_000), TestContainerImage.Layer(30_000, "etc/vnf.conf"));
        var upload = Upload(Registry, image, "VNF Agent", "1.0+build.7");
        var verifying = 0;
        upload = upload with { OnVerifying = () => { verifying++; return Task.CompletedTask; } };

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var (repository, digest) = OciNames.ParseImageId(result.VimImageId)!.Value;
        Assert.Equal(RepositoryOf(upload), repository);
        var (served, mediaType, body) = await ReadManifestAsync(Registry, repository, "1.0_build.7");
        Assert.Equal(digest, served);
        Assert.Equal(OciMediaTypes.DockerManifest, mediaType);
        var manifest = JsonNode.Parse(body)!;
        Assert.Equal(image.ConfigDigest, manifest["config"]!["digest"]!.GetValue<string>());
        Assert.Equal(OciMediaTypes.DockerConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        Assert.Equal(image.DiffIds, manifest["layers"]!.AsArray().Select(layer => layer!["digest"]!.GetValue<string>()));
        Assert.All(manifest["layers"]!.AsArray(), layer => Assert.Equal(OciMediaTypes.DockerLayer, layer!["mediaType"]!.GetValue<string>()));
        Assert.Equal(body.Length + manifest["config"]!["size"]!.GetValue<long>() + manifest["layers"]!.AsArray().Sum(layer => layer!["size"]!.GetValue<long>()), result.BytesSent);
        Assert.False(result.AlreadyPresent);
        Assert.Equal(1, verifying);
    }

    [Fact]
    public async Task When_a_gzipped_oci_layout_is_pushed_it_goes_byte_for_byte_so_the_vendors_digest_stays()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(40_000), TestContainerImage.Layer(10_000, "etc/vnf.conf")], gzipArchive: true);
        var upload = Upload(Registry, image, "vnf/oci-agent", "2.0");

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal($"{RepositoryOf(upload)}@{image.ImageDigest}", result.VimImageId);
        var (served, mediaType, body) = await ReadManifestAsync(Registry, RepositoryOf(upload), "2.0");
        Assert.Equal((image.ImageDigest, OciMediaTypes.OciManifest), (served, mediaType));
        Assert.Equal(image.ImageDocument, body);
        foreach (var layer in image.LayerDigests)
        {
            using var head = await _reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Registry, $"v2/{RepositoryOf(upload)}/blobs/{layer}")));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }
    }

    [Fact]
    public async Task When_a_multi_platform_index_is_pushed_it_goes_after_the_manifests_it_names()
    {
        var image = TestContainerImage.MultiPlatformOciLayout(TestContainerImage.Layer(15_000));
        var upload = Upload(Registry, image, "multi-arch", "3.1");

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal($"{RepositoryOf(upload)}@{image.ImageDigest}", result.VimImageId);
        var (served, mediaType, body) = await ReadManifestAsync(Registry, RepositoryOf(upload), "3.1");
        Assert.Equal((image.ImageDigest, OciMediaTypes.OciIndex), (served, mediaType));
        Assert.Equal(image.ImageDocument, body);
        foreach (var platform in image.PlatformManifestDigests!)
        {
            Assert.Equal(platform, (await ReadManifestAsync(Registry, RepositoryOf(upload), platform)).Digest);
        }
    }

    [Fact]
    public async Task When_the_registry_already_has_the_manifest_nothing_is_sent_and_the_target_is_skipped()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(8_000)]);
        var upload = Upload(Registry, image, "twice", "1");
        var first = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        Recorder.Clear();

        var second = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal((first.VimImageId, 0L, true), (second.VimImageId, second.BytesSent, second.AlreadyPresent));
        Assert.All(Recorder.Requests, request => Assert.StartsWith("HEAD ", request, StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_tag_serves_another_tenants_image_made_by_image_manager_it_is_not_moved_and_the_push_is_rejected()
    {
        var first = Upload(Registry, TestContainerImage.OciLayout([TestContainerImage.Layer(5_000)]), "shared-name", "1");
        var theirs = await Driver.EnsurePresentAsync(first, CancellationToken.None);
        var second = Upload(Registry, TestContainerImage.OciLayout([TestContainerImage.Layer(6_000)]), "shared-name", "1") with
        {
            Copies = new RecordingCopyClaims { OtherOwners = [theirs.VimImageId] }, // the ledger: made for another tenant's image
        };
        second.Image.Name = first.Image.Name;

        var refused = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(second, CancellationToken.None));

        Assert.Contains("another tenant's image", refused.Message, StringComparison.Ordinal);
        var (served, _, _) = await ReadManifestAsync(Registry, RepositoryOf(first), "1");
        Assert.Equal(theirs.VimImageId, $"{RepositoryOf(first)}@{served}");
        Assert.Empty(((RecordingCopyClaims)second.Copies).Claims);
    }

    [Fact]
    public async Task When_the_tag_serves_an_image_nobody_here_made_the_push_moves_it_as_before()
    {
        var first = Upload(Registry, TestContainerImage.OciLayout([TestContainerImage.Layer(5_000)]), "operators-tag", "1");
        await Driver.EnsurePresentAsync(first, CancellationToken.None);
        var second = Upload(Registry, TestContainerImage.OciLayout([TestContainerImage.Layer(6_000)]), "operators-tag", "1");
        second.Image.Name = first.Image.Name;

        var pushed = await Driver.EnsurePresentAsync(second, CancellationToken.None);

        var (served, _, _) = await ReadManifestAsync(Registry, RepositoryOf(second), "1");
        Assert.Equal(pushed.VimImageId, $"{RepositoryOf(second)}@{served}");
    }

    [Fact]
    public async Task When_a_blob_is_above_the_threshold_it_goes_in_chunks_and_small_ones_in_one_put()
    {
        var image = TestContainerImage.DockerSave(TestContainerImage.Layer(600_000), TestContainerImage.Layer(1_000, "etc/vnf.conf"));
        var upload = Upload(Registry, image, "chunked", "1");

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var large = image.DiffIds[0];
        var patches = Recorder.Requests.Count(r => r.StartsWith("PATCH ", StringComparison.Ordinal));
        Assert.InRange(patches, 6, 7); // 600 kB of layer plus its tar headers, in 100 KiB chunks
        Assert.Contains(Recorder.Requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains($"digest={Uri.EscapeDataString(large)}", StringComparison.Ordinal));
        Assert.Equal(OciNames.ParseImageId(result.VimImageId)!.Value.Digest, (await ReadManifestAsync(Registry, RepositoryOf(upload), "1")).Digest);
        using var head = await _reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Registry, $"v2/{RepositoryOf(upload)}/blobs/{large}")));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task When_another_repository_holds_the_blobs_they_are_mounted_and_only_the_manifest_is_sent()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(50_000)]);
        await Driver.EnsurePresentAsync(Upload(Registry, image, "mount-source", "1"), CancellationToken.None);
        Recorder.Clear();

        var result = await Driver.EnsurePresentAsync(Upload(Registry, image, "mount-target", "1"), CancellationToken.None);

        Assert.Equal(image.ImageDocument!.Length, result.BytesSent);
        Assert.Equal(2, Recorder.Requests.Count(r => r.StartsWith("POST ", StringComparison.Ordinal) && r.Contains("mount=", StringComparison.Ordinal)));
        Assert.DoesNotContain(Recorder.Requests, r => r.StartsWith("PATCH ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_vim_has_a_bandwidth_cap_the_image_goes_through_the_paced_connection_whole()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(30_000)]);
        using var budgets = UnsharedBudgets.Create();
        using var capped = new HttpClient(new BudgetHandler(budgets, "capped", 4 * 1024 * 1024) { InnerHandler = new SocketsHttpHandler() });
        var upload = Upload(Registry, image, "capped", "1");
        upload = upload with { Connection = upload.Connection with { Http = capped } };

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal($"{RepositoryOf(upload)}@{image.ImageDigest}", result.VimImageId);
        Assert.Equal(image.ImageDigest, (await ReadManifestAsync(Registry, RepositoryOf(upload), "1")).Digest);
    }

    [Fact]
    public async Task When_a_pushed_image_is_checked_it_is_intact_and_once_removed_it_is_drifted_and_removing_it_again_is_harmless()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(5_000)]);
        var upload = Upload(Registry, image, "removable", "1");
        var pushed = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var intact = await Driver.CheckPresentAsync(upload.Connection, pushed.VimImageId, upload.Image, CancellationToken.None);
        await Driver.RemoveAsync(upload.Connection, pushed.VimImageId, CancellationToken.None);
        var gone = await Driver.CheckPresentAsync(upload.Connection, pushed.VimImageId, upload.Image, CancellationToken.None);
        await Driver.RemoveAsync(upload.Connection, pushed.VimImageId, CancellationToken.None);

        Assert.True(intact.Intact);
        Assert.False(gone.Intact);
        Assert.Contains(image.ImageDigest!, gone.Problem, StringComparison.Ordinal);
        using var tag = await _reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(Registry, $"v2/{RepositoryOf(upload)}/manifests/1")));
        Assert.Equal(HttpStatusCode.NotFound, tag.StatusCode);
    }

    [Fact]
    public async Task When_the_vim_has_a_tenant_the_repository_goes_under_its_namespace()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(3_000)]);
        var upload = Upload(Registry, image, "Tenant_Image", "1", tenant: "edge/acme");

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.StartsWith($"edge/acme/tenant_image-", result.VimImageId, StringComparison.Ordinal);
        Assert.Equal(image.ImageDigest, (await ReadManifestAsync(Registry, RepositoryOf(upload), "1")).Digest);
    }

    [Fact]
    public async Task When_registries_are_probed_a_live_one_answers_and_an_unreachable_one_is_transient()
    {
        await Driver.ProbeAsync(Connection(Registry), CancellationToken.None);

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.ProbeAsync(Connection(new Uri("http://127.0.0.1:9/")), CancellationToken.None));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_registry_is_unreachable_the_push_is_transient()
    {
        var upload = Upload(new Uri("http://127.0.0.1:9/"), TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "nowhere", "1");

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vm_image_is_sent_to_a_registry_it_is_rejected_saying_why()
    {
        var upload = Upload(Registry, TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "disk", "1");
        upload = upload with { Image = new DistributableImage { Id = upload.Image.Id, Name = "disk", Version = "1", Kind = "vm-image", Sha256 = "x", Sha512 = "x" } };

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("does not take a vm-image; it takes container images and Helm charts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_registry_wants_basic_credentials_the_push_sends_them()
    {
        var (endpoint, username, password) = BasicAuthRegistry;
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(12_000)]);
        var upload = Upload(endpoint, image, "basic", "1", new VimCredentials { Username = username, Password = password });

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        await Driver.ProbeAsync(upload.Connection, CancellationToken.None);

        Assert.Equal($"{RepositoryOf(upload)}@{image.ImageDigest}", result.VimImageId);
        Assert.True((await Driver.CheckPresentAsync(upload.Connection, result.VimImageId, upload.Image, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task When_the_password_is_wrong_the_push_is_rejected_naming_401_and_never_the_password()
    {
        var (endpoint, username, _) = BasicAuthRegistry;
        const string wrong = "not-the-password-Zq81";
        var upload = Upload(endpoint, TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "basic-wrong", "1", new VimCredentials { Username = username, Password = wrong });

        var push = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));
        var probe = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.ProbeAsync(upload.Connection, CancellationToken.None));

        foreach (var error in new[] { push, probe })
        {
            Assert.Contains("401", error.Message, StringComparison.Ordinal);
            Assert.Contains("credentials were refused", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task When_a_registry_wants_credentials_and_the_vim_has_none_the_error_says_so()
    {
        var upload = Upload(BasicAuthRegistry.Endpoint, TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "anonymous", "1");

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("no credentials registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_registry_wants_bearer_tokens_the_credentials_are_traded_for_one_per_scope_and_reused_while_it_lasts()
    {
        var (endpoint, username, password, tokensIssued) = BearerRegistry;
        var image = TestContainerImage.DockerSave(TestContainerImage.Layer(300_000), TestContainerImage.Layer(2_000, "etc/vnf.conf"));
        var upload = Upload(endpoint, image, "bearer", "1", new VimCredentials { Username = username, Password = password });
        var before = tokensIssued();

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        var again = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal(2, tokensIssued() - before); // pull, then pull+push; every later request reuses one of the two
        Assert.True(again.AlreadyPresent);
        Assert.Contains(Recorder.Requests, r => r.StartsWith("PATCH ", StringComparison.Ordinal)); // the chunks went with a token too
        Assert.True((await Driver.CheckPresentAsync(upload.Connection, result.VimImageId, upload.Image, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task When_a_registry_wants_bearer_tokens_mount_and_delete_get_one_for_their_scopes()
    {
        var (endpoint, username, password, _) = BearerRegistry;
        var credentials = new VimCredentials { Username = username, Password = password };
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(20_000)]);
        await Driver.EnsurePresentAsync(Upload(endpoint, image, "bearer-source", "1", credentials), CancellationToken.None);
        var target = Upload(endpoint, image, "bearer-target", "1", credentials);

        var mounted = await Driver.EnsurePresentAsync(target, CancellationToken.None);
        await Driver.RemoveAsync(target.Connection, mounted.VimImageId, CancellationToken.None);

        Assert.Equal(image.ImageDocument!.Length, mounted.BytesSent);
        Assert.False((await Driver.CheckPresentAsync(target.Connection, mounted.VimImageId, target.Image, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task When_the_token_service_refuses_the_password_the_error_names_401_and_never_the_password()
    {
        const string wrong = "wrong-Pq4-secret";
        var upload = Upload(BearerRegistry.Endpoint, TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "bearer-wrong", "1",
            new VimCredentials { Username = BearerRegistry.Username, Password = wrong });

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("token service", error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_vim_has_a_ready_token_it_is_sent_as_given_and_none_is_fetched()
    {
        const string given = "not-a-token-the-service-issued";
        var upload = Upload(BearerRegistry.Endpoint, TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "given-token", "1", new VimCredentials { Token = given });
        var before = BearerRegistry.TokensIssued();

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(given, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, BearerRegistry.TokensIssued());
    }

    /// <summary>A unique image name per test, so repositories never collide between tests or runs.</summary>
    protected VimUpload Upload(Uri registry, TestContainerImage image, string name, string version, VimCredentials? credentials = null, string? tenant = null)
    {
        var distributable = new DistributableImage
        {
            Id = Guid.NewGuid(),
            Name = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)],
            Version = version,
            Kind = ImageKinds.ContainerImage,
            ContainerFormat = image.ImageDigest is null ? "docker" : "oci",
            SizeBytes = image.Archive.Length,
            Sha256 = image.Sha256,
            Sha512 = image.Sha512,
        };
        return new VimUpload(Connection(registry, credentials, tenant), distributable, Guid.NewGuid().ToString(), () => new MemoryStream(image.Archive), () => Task.CompletedTask, new RecordingCopyClaims());
    }

    protected VimConnection Connection(Uri registry, VimCredentials? credentials = null, string? tenant = null) =>
        new(new Vim { Id = $"test_registry_{registry.Port}", Type = "oci-registry", Endpoint = registry, Tenant = tenant }, credentials, _http);

    protected static string RepositoryOf(VimUpload upload) => OciNames.Repository(upload.Image.Name, upload.Connection.Vim.Tenant);

    /// <summary>What the registry serves for a tag or digest: its Docker-Content-Digest, media type and bytes.</summary>
    protected async Task<(string? Digest, string? MediaType, byte[] Body)> ReadManifestAsync(Uri registry, string repository, string reference, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"v2/{repository}/manifests/{reference}"));
        foreach (var mediaType in OciMediaTypes.Manifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        request.Headers.Authorization = authorization;
        using var response = await _reader.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.GetValues("Docker-Content-Digest").Single(), response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose()
    {
        _http.Dispose();
        _reader.Dispose();
        GC.SuppressFinalize(this);
    }
}

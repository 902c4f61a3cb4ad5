using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Recalls over virtual Glance VIMs of the simulator, through the Api: remove from every VIM that holds the image;
/// replace with a successor, made present on each VIM before the recalled copy is removed (sampled all along: no VIM is
/// ever without one of the two); a VIM that does not take the successor keeps the recalled image until a retry; a dry
/// run that changes nothing; deactivate, on the real Glance and virtual VIMs, leaving a copy Image Manager did not make
/// alone and failing where the VIM type cannot; and only operators recall.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RecallTests(SystemFixture system) : IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_an_image_is_recalled_with_remove_every_vim_that_holds_it_loses_it_and_one_completion_is_recorded()
    {
        var vims = new[] { await RegisterSimulatedAsync("remove-1"), await RegisterSimulatedAsync("remove-2"), await RegisterSimulatedAsync("remove-3") };
        var bystander = await RegisterSimulatedAsync("remove-bystander");
        var (imageId, _) = await ActiveImageAsync("recalled-remove");
        var (otherId, other) = await ActiveImageAsync("other-remove");
        await DistributedAsync(imageId, vims);
        await DistributedAsync(otherId, [bystander]);

        var id = await RecallAsync(new { imageId, action = "remove", reason = new { kind = "cve", cveId = "CVE-2024-3094" } });
        var done = await WaitForRecallAsync(id);

        var progress = done["progress"]!;
        Assert.Equal(("succeeded", 3, 3), (progress["outcome"]!.GetValue<string>(), progress["targetCount"]!.GetValue<int>(), progress["counts"]!["removed"]!.GetValue<int>()));
        Assert.Equal(("remove", "cve", "CVE-2024-3094"), (done["action"]!.GetValue<string>(), done["reason"]!["kind"]!.GetValue<string>(), done["reason"]!["cveId"]!.GetValue<string>()));
        Assert.Equal("recall", progress["kind"]!.GetValue<string>());
        Assert.All(vims, vim => Assert.Empty(_simulator.ImagesOf(vim)));
        Assert.Equal(other.Sha512, Assert.Single(_simulator.ImagesOf(bystander)).Sha512);
        var removal = await system.GetJsonAsync($"/api/v1/distributions/{done["removalIds"]![0]!.GetValue<string>()}");
        Assert.Equal(("removal", "succeeded"), (removal["kind"]!.GetValue<string>(), removal["outcome"]!.GetValue<string>()));
        var listed = await system.GetJsonAsync($"/api/v1/recalls?imageId={imageId}");
        Assert.Equal(id.ToString(), Assert.Single(listed["recalls"]!.AsArray())!["id"]!.GetValue<string>());
        var audit = await Eventually.Get(() => system.GetJsonAsync("/api/v1/audit?action=recall.create&limit=50"),
            a => a.ToJsonString().Contains("recall.create", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the recall in the audit log");
        Assert.Contains("recall.create", audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_image_is_replaced_every_vim_holds_the_recalled_image_or_its_successor_at_every_moment()
    {
        // Slow VIMs, so the successor's uploads and the removals take long enough to be sampled many times.
        var slow = new SimulatedVimBehaviour { Latency = TimeSpan.FromMilliseconds(150) };
        var vims = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            vims.Add(await RegisterSimulatedAsync($"replace-{i}", slow));
        }

        var (imageId, recalled) = await ActiveImageAsync("recalled-replace");
        var (successorId, successor) = await ActiveImageAsync("successor-replace");
        await DistributedAsync(imageId, vims);
        await DistributedAsync(successorId, vims.Take(2).ToArray()); // two VIMs already hold the successor

        using var sampling = new CancellationTokenSource();
        var bare = new List<string>();
        var samples = 0;
        var sampler = Task.Run(async () =>
        {
            for (var round = 0; round < 20_000 && !sampling.IsCancellationRequested; round++)
            {
                foreach (var vim in vims)
                {
                    if (!_simulator.ImagesOf(vim).Any(i => i.Status == "active" && (i.Sha512 == recalled.Sha512 || i.Sha512 == successor.Sha512)))
                    {
                        bare.Add($"{vim} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
                    }
                }

                samples++;
                await Task.Delay(5);
            }
        });

        var id = await RecallAsync(new { imageId, action = "replace", successorImageId = successorId, reason = new { kind = "end-of-life" } });
        var done = await WaitForRecallAsync(id);
        await sampling.CancelAsync();
        await sampler;

        Assert.True(bare.Count == 0, $"VIMs without either image during the recall: {string.Join(", ", bare.Take(10))}");
        Assert.True(samples > 20, $"only {samples} samples were taken");
        var progress = done["progress"]!;
        Assert.Equal(("succeeded", 5), (progress["outcome"]!.GetValue<string>(), progress["counts"]!["removed"]!.GetValue<int>()));
        Assert.All(vims, vim => Assert.Equal(successor.Sha512, Assert.Single(_simulator.ImagesOf(vim)).Sha512));
        var successorDistribution = await system.GetJsonAsync($"/api/v1/distributions/{Assert.Single(done["successorDistributionIds"]!.AsArray())!.GetValue<string>()}");
        Assert.Equal(3, successorDistribution["targetCount"]!.GetValue<int>()); // only the VIMs that lacked it
    }

    [Fact]
    public async Task When_the_successor_cannot_be_put_on_a_vim_that_vim_keeps_the_recalled_image_until_a_retry_replaces_it()
    {
        var vims = new[] { await RegisterSimulatedAsync("stubborn-ok-1"), await RegisterSimulatedAsync("stubborn-ok-2"), await RegisterSimulatedAsync("stubborn-bad") };
        var bad = vims[2];
        var (imageId, recalled) = await ActiveImageAsync("recalled-stubborn");
        var (successorId, successor) = await ActiveImageAsync("successor-stubborn");
        await DistributedAsync(imageId, vims);
        _simulator.Configure(bad, new SimulatedVimBehaviour { FailWith = VimSimulator.Fault.Status(400) });

        var id = await RecallAsync(new { imageId, action = "replace", successorImageId = successorId, reason = new { kind = "other", text = "vendor advisory 7" } });
        var done = await WaitForRecallAsync(id);

        var progress = done["progress"]!;
        Assert.Equal(("partially-failed", 2, 1), (progress["outcome"]!.GetValue<string>(), progress["counts"]!["removed"]!.GetValue<int>(), progress["counts"]!["failed"]!.GetValue<int>()));
        var failed = progress["targets"]!.AsArray().Single(t => t!["vimId"]!.GetValue<string>() == bad)!;
        Assert.Contains("successor could not be put", failed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(recalled.Sha512, Assert.Single(_simulator.ImagesOf(bad)).Sha512);

        _simulator.Configure(bad, SimulatedVimBehaviour.Healthy);
        using var retried = await system.Api.PostAsync($"/api/v1/recalls/{id}/retry", null);
        var retry = await retried.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(retried.StatusCode == HttpStatusCode.Accepted, $"retry answered {(int)retried.StatusCode}: {retry}");
        var again = await WaitForRecallAsync(Guid.Parse(retry!["recallId"]!.GetValue<string>()));

        Assert.Equal(("succeeded", 1, id.ToString()), (again["progress"]!["outcome"]!.GetValue<string>(), again["progress"]!["targetCount"]!.GetValue<int>(), again["retryOf"]!.GetValue<string>()));
        Assert.All(vims, vim => Assert.Equal(successor.Sha512, Assert.Single(_simulator.ImagesOf(vim)).Sha512));
    }

    [Fact]
    public async Task When_an_image_is_recalled_with_deactivate_glance_copies_are_deactivated_a_found_copy_is_left_and_multicloud_fails_saying_why()
    {
        var real = await system.RegisterGlanceAsync("deactivate-real", Infrastructure.Glance1);
        var simulated = await RegisterSimulatedAsync("deactivate-sim");
        var found = await RegisterSimulatedAsync("deactivate-found");
        var multicloud = await system.RegisterVimAsync("deactivate-mc", _simulator.Multicloud.Endpoint, new Dictionary<string, object?> { ["tenant"] = "e2e-tenant" }, "onap-multicloud");
        var (imageId, recalled) = await ActiveImageAsync("recalled-deactivate");
        var theirs = await PutOnSimulatedGlanceAsync(found, recalled); // the VIM's operator's copy, adopted as found
        await DistributedAsync(imageId, [real, simulated, found, multicloud]);

        var id = await RecallAsync(new { imageId, action = "deactivate", reason = new { kind = "cve", cveId = "CVE-2024-6387" } });
        var done = await WaitForRecallAsync(id);

        var progress = done["progress"]!;
        Assert.Equal(("partially-failed", 2, 1, 1), (progress["outcome"]!.GetValue<string>(), progress["counts"]!["deactivated"]!.GetValue<int>(),
            progress["counts"]!["skipped"]!.GetValue<int>(), progress["counts"]!["failed"]!.GetValue<int>()));
        var targets = progress["targets"]!.AsArray().ToDictionary(t => t!["vimId"]!.GetValue<string>(), t => t!);
        Assert.Contains("cannot deactivate", targets[multicloud]["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("did not create it", targets[found]["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("deactivated", Assert.Single(_simulator.ImagesOf(simulated)).Status);
        Assert.Equal(("active", theirs), (Assert.Single(_simulator.ImagesOf(found)).Status, Assert.Single(_simulator.ImagesOf(found)).Record["id"]!.GetValue<string>()));
        Assert.Equal("active", Assert.Single(_simulator.Multicloud.ImagesOf(multicloud, "e2e-tenant")).Status);
        using var glance = new HttpClient { BaseAddress = Infrastructure.Glance1 };
        var onRealGlance = await glance.GetFromJsonAsync<JsonObject>($"v2/images/{targets[real]["vimImageId"]!.GetValue<string>()}");
        Assert.Equal(("deactivated", recalled.Sha512), (onRealGlance!["status"]!.GetValue<string>(), onRealGlance["os_hash_value"]!.GetValue<string>()));
        var deactivation = await system.GetJsonAsync($"/api/v1/distributions/{Assert.Single(done["deactivationIds"]!.AsArray())!.GetValue<string>()}");
        Assert.Equal(("deactivation", 4), (deactivation["kind"]!.GetValue<string>(), deactivation["targetCount"]!.GetValue<int>()));
        string? StateOn(JsonObject locations, string vimId) => locations["locations"]!.AsArray().SingleOrDefault(x => x!["vimId"]!.GetValue<string>() == vimId)?["state"]?.GetValue<string>();
        var location = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => StateOn(l, simulated) == "deactivated" && StateOn(l, multicloud) != "active", TimeSpan.FromSeconds(30), "the catalogue's locations to follow the deactivation");
        Assert.Equal(("deactivated", "not-deactivated"), (StateOn(location, real), StateOn(location, multicloud)));
    }

    [Fact]
    public async Task When_a_recall_is_a_dry_run_it_lists_the_vims_and_tenants_and_changes_nothing()
    {
        var vims = new[] { await RegisterSimulatedAsync("dry-1"), await RegisterSimulatedAsync("dry-2") };
        var (imageId, recalled) = await ActiveImageAsync("recalled-dry");
        var (successorId, _) = await ActiveImageAsync("successor-dry");
        await DistributedAsync(imageId, vims);
        await DistributedAsync(successorId, [vims[1]]);

        using var response = await system.Api.PostAsJsonAsync("/api/v1/recalls?dryRun=true", new { imageId, action = "replace", successorImageId = successorId, reason = new { kind = "revoked-key" } });
        var plan = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"dry run answered {(int)response.StatusCode}: {plan}");
        Assert.Equal(vims.Order(StringComparer.Ordinal), plan!["vimIds"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal([vims[1]], plan["successorPresentVimIds"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Single(plan["tenants"]!.AsArray());
        Assert.Empty((await system.GetJsonAsync($"/api/v1/recalls?imageId={imageId}"))["recalls"]!.AsArray());
        Assert.Equal(recalled.Sha512, Assert.Single(_simulator.ImagesOf(vims[0])).Sha512);
        Assert.Equal(2, _simulator.ImagesOf(vims[1]).Count);
    }

    [Fact]
    public async Task When_a_tenant_or_a_bad_request_asks_for_a_recall_it_is_refused()
    {
        using var distributor = await system.ClientForAsync("tenant-a", "distributor");
        var (imageId, _) = await ActiveImageAsync("recalled-refused");

        using var byTenant = await distributor.PostAsJsonAsync("/api/v1/recalls", new { imageId, action = "remove", reason = new { kind = "end-of-life" } });
        using var listByTenant = await distributor.GetAsync("/api/v1/recalls");
        using var noCve = await system.Api.PostAsJsonAsync("/api/v1/recalls", new { imageId, action = "remove", reason = new { kind = "cve" } });
        using var noSuccessor = await system.Api.PostAsJsonAsync("/api/v1/recalls", new { imageId, action = "replace", reason = new { kind = "end-of-life" } });
        using var nowhere = await system.Api.PostAsJsonAsync("/api/v1/recalls", new { imageId, action = "remove", reason = new { kind = "end-of-life" } });
        using var unknownAction = await system.Api.PostAsJsonAsync("/api/v1/recalls", new { imageId, action = "quarantine", reason = new { kind = "end-of-life" } });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (byTenant.StatusCode, listByTenant.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, noCve.StatusCode);
        Assert.Contains("reason.cveId", await noCve.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noSuccessor.StatusCode);
        Assert.Contains("successorImageId", await noSuccessor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, nowhere.StatusCode);
        Assert.Contains("no copy", await nowhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownAction.StatusCode);
        Assert.Contains("deactivate", await unknownAction.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    async Task<Guid> RecallAsync(object request)
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/recalls", request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"recall answered {(int)response.StatusCode}: {body}");
        return Guid.Parse(body!["recallId"]!.GetValue<string>());
    }

    Task<JsonObject> WaitForRecallAsync(Guid id) =>
        Eventually.Get(() => system.PollJsonAsync($"/api/v1/recalls/{id}"), r => r["progress"]?["state"]?.GetValue<string>() == "completed",
            TimeSpan.FromSeconds(90), $"recall {id} to complete");

    async Task DistributedAsync(Guid imageId, IReadOnlyList<string> vims)
    {
        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, [.. vims]));
        Assert.True(done["outcome"]!.GetValue<string>() == "succeeded", $"distribution of {imageId}: {done}");
    }

    async Task<string> RegisterSimulatedAsync(string name, SimulatedVimBehaviour? behaviour = null)
    {
        var vimId = $"e2e_{system.Unique(name)}";
        if (behaviour is not null)
        {
            _simulator.Configure(vimId, behaviour);
        }

        return await system.RegisterVimAsync(name, _simulator.EndpointOf(vimId));
    }

    /// <summary>Puts the bytes on a virtual Glance as its operator would (not through Image Manager); answers the image's id there.</summary>
    async Task<string> PutOnSimulatedGlanceAsync(string vimId, TestImage image)
    {
        using var glance = new HttpClient { BaseAddress = _simulator.EndpointOf(vimId) };
        var id = Guid.NewGuid().ToString();
        using (var created = await glance.PostAsJsonAsync("v2/images", new { id, name = "operators-own", disk_format = "raw", container_format = "bare" }))
        {
            created.EnsureSuccessStatusCode();
        }

        using var put = await glance.PutAsync($"v2/images/{id}/file", image.Content());
        put.EnsureSuccessStatusCode();
        return id;
    }

    async Task<(Guid Id, TestImage Image)> ActiveImageAsync(string name)
    {
        var image = TestImage.Random(4096);
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        return (imageId, image);
    }
}

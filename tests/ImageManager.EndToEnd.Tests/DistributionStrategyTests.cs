using System.Net;
using ImageManager.Contracts.Distributions;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using MassTransit;
using Npgsql;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Choosing targets by selector and rolling out by strategy, against virtual Glance VIMs of the simulator, whose log of
/// uploads (start and end of each) shows what ran at the same time and in which order.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DistributionStrategyTests(SystemFixture system) : IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_a_strategy_is_given_targets_are_chosen_by_region_and_tags_and_a_canary_wave_runs_then_the_rest_at_most_two_at_once()
    {
        var region = system.Unique("canary-region");
        var chosen = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            chosen.Add(await RegisterSimulatedAsync($"canary-{i}", region, ["edge", "5g"], latency: TimeSpan.FromMilliseconds(150)));
        }

        await RegisterSimulatedAsync("canary-untagged", region, ["core"]);
        await RegisterSimulatedAsync("canary-elsewhere", system.Unique("other-region"), ["edge", "5g"]);
        var imageId = await ActiveImageAsync("canary");

        var id = await system.DistributeAsync(new
        {
            imageId,
            selector = new { region, tags = new[] { "edge", "5g" } },
            strategy = new { maxParallel = 2, canarySize = 2 },
        });
        var done = await system.WaitForDistributionAsync(id);

        Assert.Equal(("succeeded", 6, 6), (done["outcome"]!.GetValue<string>(), done["targetCount"]!.GetValue<int>(), done["counts"]!["active"]!.GetValue<int>()));
        Assert.Equal(chosen.Order(StringComparer.Ordinal), done["targets"]!.AsArray().Select(t => t!["vimId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal((2, 2), (done["strategy"]!["maxParallel"]!.GetValue<int>(), done["strategy"]!["canarySize"]!.GetValue<int>()));
        var uploads = _simulator.UploadLog.Where(u => chosen.Contains(u.VimId)).ToList();
        Assert.Equal(6, uploads.Count);
        Assert.True(MostAtOnce(uploads) <= 2, $"at most 2 uploads at once, saw {MostAtOnce(uploads)}");
        var canary = chosen.Order(StringComparer.Ordinal).Take(2).ToHashSet();
        var canaryEnded = uploads.Where(u => canary.Contains(u.VimId)).Max(u => u.Ended);
        Assert.All(uploads.Where(u => !canary.Contains(u.VimId)), rest => Assert.True(rest.Started >= canaryEnded, $"{rest.VimId} started before the canary wave ended"));
    }

    [Fact]
    public async Task When_more_targets_fail_than_allowed_the_rest_are_cancelled_and_the_reason_is_given()
    {
        var refusing = new SimulatedVimBehaviour { FailWith = VimSimulator.Fault.Status(400) };
        var vims = new List<string>
        {
            await RegisterSimulatedAsync("threshold-bad-1", behaviour: refusing),
            await RegisterSimulatedAsync("threshold-bad-2", behaviour: refusing),
        };
        for (var i = 0; i < 3; i++)
        {
            vims.Add(await RegisterSimulatedAsync($"threshold-good-{i}"));
        }

        var imageId = await ActiveImageAsync("threshold");

        var id = await system.DistributeAsync(new { imageId, vimIds = vims, strategy = new { maxParallel = 1, maxFailures = 1 } });
        var done = await system.WaitForDistributionAsync(id);

        Assert.Equal(("failed", 2, 3), (done["outcome"]!.GetValue<string>(), done["counts"]!["failed"]!.GetValue<int>(), done["counts"]!["cancelled"]!.GetValue<int>()));
        Assert.Contains("2 targets failed, more than the 1", done["stopReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_simulator.UploadLog, u => vims.Contains(u.VimId));
        var cancelled = done["targets"]!.AsArray().Where(t => t!["state"]!.GetValue<string>() == "cancelled").ToList();
        Assert.All(cancelled, t => Assert.Contains("Stopped", t!["lastError"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_deadline_passes_the_targets_not_started_are_cancelled()
    {
        var slow = new SimulatedVimBehaviour { Latency = TimeSpan.FromSeconds(1) };
        var vims = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            vims.Add(await RegisterSimulatedAsync($"deadline-{i}", behaviour: slow));
        }

        var imageId = await ActiveImageAsync("deadline");

        var id = await system.DistributeAsync(new { imageId, vimIds = vims, strategy = new { maxParallel = 1, deadline = DateTimeOffset.UtcNow.AddSeconds(2) } });
        var done = await system.WaitForDistributionAsync(id);

        Assert.Equal("cancelled", done["outcome"]!.GetValue<string>());
        Assert.True(done["counts"]!["cancelled"]!.GetValue<int>() >= 1);
        Assert.Contains("deadline", done["stopReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, done["counts"]!["active"]!.GetValue<int>() + done["counts"]!["cancelled"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_a_distribute_request_is_sent_on_the_bus_the_answer_is_its_completion()
    {
        var vims = new[] { await RegisterSimulatedAsync("request-1"), await RegisterSimulatedAsync("request-2") };
        var imageId = await ActiveImageAsync("request");
        var client = system.Bus.CreateRequestClient<DistributeRequested>(RequestTimeout.After(s: 90));

        var response = await client.GetResponse<DistributionCompleted>(new DistributeRequested
        {
            DistributionId = NewId.NextGuid(),
            ImageId = imageId,
            VimIds = vims,
            RequestedAt = DateTimeOffset.UtcNow,
        });

        Assert.Equal((DistributionOutcomes.Succeeded, 2, 2), (response.Message.Outcome, response.Message.TargetCount, response.Message.ActiveCount));
        Assert.All(vims, vim => Assert.Single(_simulator.ImagesOf(vim)));
    }

    [Fact]
    public async Task When_an_image_is_purged_its_removal_is_a_distribution_of_kind_removal_with_every_target_removed()
    {
        var vims = new[] { await RegisterSimulatedAsync("purge-1"), await RegisterSimulatedAsync("purge-2") };
        var imageId = await ActiveImageAsync("purge");
        await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vims));
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => l["locations"]?.AsArray().Count(x => x!["state"]!.GetValue<string>() == "active") == 2, TimeSpan.FromSeconds(30), "both locations active");

        using var deleted = await system.Api.DeleteAsync($"/api/v1/images/{imageId}?purge=true");
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);

        var removal = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/distributions?imageId={imageId}"),
            list => list["distributions"]?.AsArray().Any(d => d!["kind"]?.GetValue<string>() == "removal" && d["state"]!.GetValue<string>() == "completed") == true,
            TimeSpan.FromSeconds(60), "the removal to complete");
        var summary = removal["distributions"]!.AsArray().First(d => d!["kind"]!.GetValue<string>() == "removal")!;
        var done = await system.GetJsonAsync($"/api/v1/distributions/{summary["id"]!.GetValue<string>()}");
        Assert.Equal(("succeeded", 2), (done["outcome"]!.GetValue<string>(), done["counts"]!["removed"]!.GetValue<int>()));
        Assert.All(vims, vim => Assert.Empty(_simulator.ImagesOf(vim)));
    }

    [Fact]
    public async Task When_a_vim_has_an_upload_limit_its_uploads_stay_within_it()
    {
        // The cap keeps each upload about two seconds long, so two at once could not go unseen.
        var vim = await RegisterSimulatedAsync("limited", limits: new { maxConcurrentUploads = 1, bandwidthBytesPerSecond = 65_536 }, latency: TimeSpan.FromMilliseconds(100));
        var images = new[] { await ActiveImageAsync("limited-a", 131_072), await ActiveImageAsync("limited-b", 131_072) };

        var ids = new[] { await system.DistributeAsync(images[0], vim), await system.DistributeAsync(images[1], vim) };
        foreach (var id in ids)
        {
            var done = await system.WaitForDistributionAsync(id);
            Assert.True(done["outcome"]!.GetValue<string>() == "succeeded", $"distribution {id}: {done}");
        }

        var uploads = _simulator.UploadLog.Where(u => u.VimId == vim).ToList();
        Assert.True(uploads.Count == 2 && MostAtOnce(uploads) == 1, $"two uploads one after the other, saw: {string.Join("; ", uploads)}");
    }

    [Fact]
    public async Task When_a_vims_circuit_is_open_its_upload_waits_for_it_without_spending_an_attempt()
    {
        var vim = await RegisterSimulatedAsync("circuit");
        // The registration's own probe first: its answer would close the circuit opened below.
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/vims/{vim}"), v => v["health"]?["state"]?.GetValue<string>() == "healthy",
            TimeSpan.FromSeconds(30), "the registration's probe");
        var openUntil = DateTimeOffset.UtcNow.AddSeconds(4);
        await using (var connection = new NpgsqlConnection(system.DistributionConnection))
        {
            await connection.OpenAsync();
            await using var open = new NpgsqlCommand("UPDATE vims SET consecutive_failures = 7, circuit_open_until = @until, last_error = 'earlier failures' WHERE id = @id", connection);
            open.Parameters.AddWithValue("until", openUntil);
            open.Parameters.AddWithValue("id", vim);
            await open.ExecuteNonQueryAsync();
        }

        var shown = await system.GetJsonAsync($"/api/v1/vims/{vim}");
        var imageId = await ActiveImageAsync("circuit");
        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(imageId, vim));

        Assert.Equal("unhealthy", shown["health"]!["state"]!.GetValue<string>());
        Assert.NotNull(shown["health"]!["circuitOpenUntil"]);
        Assert.Equal(("succeeded", 1), (done["outcome"]!.GetValue<string>(), done["targets"]![0]!["attempt"]!.GetValue<int>()));
        Assert.True(_simulator.UploadLog.Single(u => u.VimId == vim).Started >= openUntil, "the upload went before the circuit closed");
        var healed = await system.GetJsonAsync($"/api/v1/vims/{vim}");
        Assert.Equal(("healthy", 0), (healed["health"]!["state"]!.GetValue<string>(), healed["health"]!["consecutiveFailures"]!.GetValue<int>()));
    }

    [Fact]
    public async Task When_a_target_among_many_sent_in_one_command_fails_for_a_moment_it_alone_is_tried_again()
    {
        var vims = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            vims.Add(await RegisterSimulatedAsync($"batched-{i}"));
        }

        // Once the registration probes have found it healthy: its next request, the upload's first, is refused.
        var flaky = vims[7];
        await Eventually.Get(() => system.GetJsonAsync($"/api/v1/vims/{flaky}"), v => v["health"]?["state"]?.GetValue<string>() == "healthy",
            TimeSpan.FromSeconds(30), "the registration's probe");
        _simulator.Configure(flaky, new SimulatedVimBehaviour { FailWith = VimSimulator.Fault.Status(503), FailFirst = 1 });
        var imageId = await ActiveImageAsync("batched");

        var done = await system.WaitForDistributionAsync(await system.DistributeAsync(new { imageId, vimIds = vims }), TimeSpan.FromMinutes(2));

        Assert.Equal(("succeeded", 40), (done["outcome"]!.GetValue<string>(), done["counts"]!["active"]!.GetValue<int>()));
        var attempts = done["targets"]!.AsArray().ToDictionary(t => t!["vimId"]!.GetValue<string>(), t => t!["attempt"]!.GetValue<int>());
        Assert.Equal(2, attempts[flaky]);
        Assert.All(vims.Where(v => v != flaky), vim => Assert.Equal(1, attempts[vim]));
        Assert.All(vims, vim => Assert.Single(_simulator.UploadLog, u => u.VimId == vim));
    }

    async Task<string> RegisterSimulatedAsync(string name, string? region = null, string[]? tags = null, SimulatedVimBehaviour? behaviour = null, object? limits = null, TimeSpan? latency = null)
    {
        var vimId = $"e2e_{system.Unique(name)}";
        if (behaviour is not null || latency is not null)
        {
            _simulator.Configure(vimId, (behaviour ?? SimulatedVimBehaviour.Healthy) with { Latency = latency ?? behaviour!.Latency });
        }

        var settings = new Dictionary<string, object?> { ["region"] = region, ["tags"] = tags ?? [], ["limits"] = limits };
        return await system.RegisterVimAsync(name, _simulator.EndpointOf(vimId), settings);
    }

    async Task<Guid> ActiveImageAsync(string name, int size = 4096)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(size));
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }

    /// <summary>The most uploads that were under way at one instant.</summary>
    static int MostAtOnce(IReadOnlyList<SimulatedUpload> uploads) =>
        uploads.Select(u => uploads.Count(other => other.Started < u.Ended && u.Started < other.Ended)).DefaultIfEmpty(0).Max();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// The budgets on the running system (<see cref="BudgetSystemFixture"/>, uplink budget 2 MiB/s) with simulated VIMs that
/// take or fetch bytes as fast as loopback allows: a pull paced by the Api at the VIM's cap, and a push and a pull at once
/// sharing the uplink. Unpaced, each image here would go in a fraction of a second; the assertions are the least time the
/// budgets impose (what the distribution's own timestamps say), with room for a bucket's first tenth of a second.
/// </summary>
public sealed class BandwidthBudgetTests(BudgetSystemFixture system) : IClassFixture<BudgetSystemFixture>, IAsyncLifetime
{
    const int MiB = 1024 * 1024;

    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_a_capped_VIM_pulls_an_image_by_web_download_the_api_serves_it_no_faster_than_the_cap()
    {
        const int size = 4 * MiB;
        const int cap = 1 * MiB;
        var imageId = await ActiveImageAsync("budget-pull", size);
        var vim = $"sim_budget-pull-{Guid.NewGuid():N}"[..28];
        var vimId = await system.RegisterVimAsync("budget-pull", _simulator.EndpointOf(vim),
            new Dictionary<string, object?> { ["uploadMode"] = "web-download", ["limits"] = new { bandwidthBytesPerSecond = cap } });

        var (distributionId, _) = await DistributeAsync(new { imageId, vimIds = new[] { vimId } });
        var took = await TookAsync(distributionId);

        Assert.True(took >= TimeSpan.FromSeconds(0.85 * size / cap), $"4 MiB pulled by a VIM capped at 1 MiB/s took {took}");
        Assert.Equal(0, _simulator.UploadsTo(vim)); // pulled, not pushed
        Assert.Single(_simulator.ImagesOf(vim));
    }

    [Fact]
    public async Task When_a_push_and_a_pull_run_at_once_they_share_the_uplink_budget_and_the_estimate_said_so()
    {
        const int size = 4 * MiB;
        var imageId = await ActiveImageAsync("budget-uplink", size);
        var (pushed, pulled) = ($"sim_budget-push-{Guid.NewGuid():N}"[..28], $"sim_budget-pull2-{Guid.NewGuid():N}"[..28]);
        var pushVim = await system.RegisterGlanceAsync("budget-push", _simulator.EndpointOf(pushed));
        var pullVim = await system.RegisterGlanceAsync("budget-pull2", _simulator.EndpointOf(pulled), uploadMode: "web-download");

        var (distributionId, accepted) = await DistributeAsync(new { imageId, vimIds = new[] { pushVim, pullVim } });
        var took = await TookAsync(distributionId);

        // 8 MiB through a 2 MiB/s uplink: at least 4 s, where each at the whole budget would take 2 s.
        Assert.True(took >= TimeSpan.FromSeconds(0.85 * 2 * size / BudgetSystemFixture.UplinkBytesPerSecond), $"a push and a pull of 4 MiB each under a 2 MiB/s uplink took {took}");
        Assert.Equal((1, 0), (_simulator.UploadsTo(pushed), _simulator.UploadsTo(pulled)));
        Assert.Single(_simulator.ImagesOf(pulled));
        Assert.Equal(4.0, accepted["estimate"]!["durationSeconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task When_a_deadline_cannot_be_met_the_api_answers_422_naming_the_field_and_when_the_request_insists_202_with_a_warning()
    {
        // 1 MiB to three VIMs capped at 64 KiB/s, one at a time: 16 s each, so the third starts after 32 s.
        var imageId = await ActiveImageAsync("budget-deadline", 1 * MiB);
        var vimIds = new List<string>();
        foreach (var name in new[] { "budget-dl-a", "budget-dl-b", "budget-dl-c" })
        {
            vimIds.Add(await system.RegisterVimAsync(name, _simulator.EndpointOf($"sim_{name}-{Guid.NewGuid():N}"[..28]),
                new Dictionary<string, object?> { ["limits"] = new { bandwidthBytesPerSecond = 64 * 1024 } }));
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        using var refused = await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds, strategy = new { maxParallel = 1, deadline } });
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
        var (insistedId, insisted) = await DistributeAsync(new { imageId, vimIds, strategy = new { maxParallel = 1, deadline, allowUnmetDeadline = true } });
        using var _ = await system.Api.PostAsync($"/api/v1/distributions/{insistedId}/cancel", null);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "application/problem+json"), (refused.StatusCode, refused.Content.Headers.ContentType?.MediaType));
        Assert.NotNull(problem!["errors"]!["strategy.deadline"]);
        Assert.Contains("allowUnmetDeadline", problem["detail"]!.GetValue<string>());
        var estimate = insisted["estimate"]!;
        Assert.Equal((48.0, 32.0, false), (estimate["durationSeconds"]!.GetValue<double>(), estimate["lastTargetStartSeconds"]!.GetValue<double>(), estimate["deadlineMet"]!.GetValue<bool>()));
        Assert.Contains("after the deadline", estimate["warning"]!.GetValue<string>());
        Assert.False((await system.GetJsonAsync($"/api/v1/distributions/{insistedId}"))["estimate"]!["deadlineMet"]!.GetValue<bool>());
    }

    async Task<(Guid Id, JsonObject Accepted)> DistributeAsync(object request)
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/distributions", request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"distribute answered {(int)response.StatusCode}: {body}");
        return (Guid.Parse(body!["distributionId"]!.GetValue<string>()), body);
    }

    /// <summary>From the request to the last target's end, as the distribution records them; every target must be active.</summary>
    async Task<TimeSpan> TookAsync(Guid distributionId)
    {
        var done = await system.WaitForDistributionAsync(distributionId, TimeSpan.FromMinutes(2));
        Assert.Equal("succeeded", done["outcome"]!.GetValue<string>());
        return done["completedAt"]!.GetValue<DateTimeOffset>() - done["requestedAt"]!.GetValue<DateTimeOffset>();
    }

    async Task<Guid> ActiveImageAsync(string name, int size)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(size));
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Recalls;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>
/// A recall with replace over a thousand virtual VIMs, a tenth of which already hold the successor: every VIM ends with the
/// successor alone, and sampling every VIM all along finds none without one of the two. Its duration is reported, not asserted.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FleetRecallTests(FaultSystemFixture system, ITestOutputHelper output)
{
    const int Fleet = 1000;

    [Fact]
    public async Task When_an_image_on_a_thousand_vims_is_replaced_each_ends_with_the_successor_and_none_is_ever_without_either()
    {
        const string group = "recall-fleet";
        var vims = await system.AddSimulatedVimsAsync(group, Fleet, _ => SimulatedVimBehaviour.Healthy);
        var (imageId, recalled) = await system.ActiveImageAsync("recalled-fleet");
        var (successorId, successor) = await system.ActiveImageAsync("successor-fleet");
        await system.CompletedAsync(await system.DistributeToGroupAsync(imageId, group));
        await system.CompletedAsync(await system.DistributeAsync(new { imageId = successorId, vimIds = vims.Take(Fleet / 10).Select(system.VimIdOf).ToArray() }));

        using var sampling = new CancellationTokenSource();
        var bare = new List<string>();
        var rounds = 0;
        var sampler = Task.Run(async () =>
        {
            for (var round = 0; round < 100_000 && !sampling.IsCancellationRequested; round++)
            {
                bare.AddRange(vims.Where(vim => !system.Simulator.ImagesOf(vim).Any(i => i.Status == "active" && (i.Sha512 == recalled.Sha512 || i.Sha512 == successor.Sha512))));
                rounds++;
                await Task.Delay(10);
            }
        });

        var clock = Stopwatch.StartNew();
        using var response = await system.Api.PostAsJsonAsync("/api/v1/recalls", new { imageId, action = "replace", successorImageId = successorId, reason = new { kind = "cve", cveId = "CVE-2024-3094" } });
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"recall answered {(int)response.StatusCode}: {accepted}");
        var recallId = Guid.Parse(accepted!["recallId"]!.GetValue<string>());
        var done = await Eventually.Get(() => system.PollJsonAsync($"/api/v1/recalls/{recallId}"), r => r["progress"]?["state"]?.GetValue<string>() == "completed",
            TimeSpan.FromMinutes(10), $"recall {recallId} to complete");
        var took = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;

        Assert.True(bare.Count == 0, $"{bare.Count} samples found a VIM without either image, e.g. {string.Join(", ", bare.Distinct().Take(10))}");
        Assert.Equal((Fleet, Fleet / 10), (accepted["targetCount"]!.GetValue<int>(), accepted["successorPresentCount"]!.GetValue<int>()));
        Assert.Equal(("succeeded", Fleet), (done["progress"]!["outcome"]!.GetValue<string>(), done["progress"]!["counts"]!["removed"]!.GetValue<int>()));
        var wrong = vims.Where(v => system.Simulator.ImagesOf(v) is not [{ Status: "active" } held] || held.Sha512 != successor.Sha512).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} VIMs do not hold the successor alone: {string.Join(", ", wrong.Take(10))}");
        await system.WaitUntilBusIdleAsync();
        Assert.Single(BusRecorder.All<RecallCompleted>(), c => c.RecallId == recallId);

        output.WriteLine($"Recall (replace) over {Fleet} simulated VIMs, {Fleet / 10} already holding the successor: completed in {took.TotalSeconds:0.0} s " +
                         $"({took.TotalMilliseconds / Fleet:0.0} ms per VIM); {rounds} sampling rounds of every VIM, none without either image.");
    }
}

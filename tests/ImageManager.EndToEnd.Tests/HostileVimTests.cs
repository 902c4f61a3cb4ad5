using System.Net;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// VIMs of the simulator that answer NUL bytes and binary garbage: their targets fail with a reason a person can read,
/// the distributions in flight beside them are unaffected, and the VIMs can be removed afterwards.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileVimTests(SystemFixture system) : IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_vims_answer_nul_bytes_and_binary_garbage_their_targets_fail_readably_and_other_distributions_complete()
    {
        // 500 with raw binary: transient, retried until the retries are spent. 400 with a JSON message holding NUL: rejected at once.
        var binary = await RegisterSimulatedAsync("garbage-binary", Fault.Answering(500, HostileBytes.Body(), "text/plain; charset=utf-8"));
        var json = await RegisterSimulatedAsync("garbage-json", Fault.Answering(400, HostileBytes.JsonBody(), "application/json"));
        var success = await RegisterSimulatedAsync("garbage-success", Fault.Answering(200, HostileBytes.Body(), "application/json"));
        var good = await system.RegisterGlanceAsync("garbage-neighbour", Infrastructure.Glance1);
        var alsoGood = await system.RegisterGlanceAsync("garbage-beside", Infrastructure.Glance2);
        var imageId = await system.CreateImageAsync("garbage");
        await system.UploadAsync(imageId, TestImage.Random(64 * 1024));
        await system.WaitForStatusAsync(imageId, "active");

        // In flight together: their progress shares batches.
        var mixed = system.DistributeAsync(imageId, binary, json, success, alsoGood);
        var clean = system.DistributeAsync(imageId, good);
        var (mixedId, cleanId) = (await mixed, await clean);

        var cleanDone = await system.WaitForDistributionAsync(cleanId);
        Assert.Equal("succeeded", cleanDone["outcome"]!.GetValue<string>());
        var mixedDone = await system.WaitForDistributionAsync(mixedId);
        var targets = mixedDone["targets"]!.AsArray().ToDictionary(t => t!["vimId"]!.GetValue<string>(), t => t!.AsObject());
        Assert.Equal(("failed", "failed", "failed", "active"), (State(targets[binary]), State(targets[json]), State(targets[success]), State(targets[alsoGood])));
        var successError = targets[success]["lastError"]!.GetValue<string>();
        Assert.Contains("not its API's JSON", successError, StringComparison.Ordinal);
        HostileBytes.AssertReadable(successError);

        var binaryError = targets[binary]["lastError"]!.GetValue<string>();
        // Raw bytes are no error document of Glance's: only the status is said, never the body.
        Assert.StartsWith("Glance refused to list its images: 500 Internal Server Error (", binaryError, StringComparison.Ordinal);
        Assert.DoesNotContain("refused:", binaryError, StringComparison.Ordinal);
        Assert.Contains("gave up after", binaryError, StringComparison.Ordinal);
        HostileBytes.AssertReadable(binaryError);
        var jsonError = targets[json]["lastError"]!.GetValue<string>();
        Assert.StartsWith("Glance refused to list its images: 400 Bad Request: bad", jsonError, StringComparison.Ordinal);
        HostileBytes.AssertReadable(jsonError);

        // The catalogue's locations and the VIM's health say the same, as safely.
        var locations = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{imageId}/locations"),
            l => l["locations"]?.AsArray().Count(x => x!["state"]!.GetValue<string>() == "failed") == 3, TimeSpan.FromSeconds(30), "the failed locations");
        Assert.All(locations["locations"]!.AsArray().Where(x => x!["state"]!.GetValue<string>() == "failed"),
            x => HostileBytes.AssertReadable(x!["error"]!.GetValue<string>()));
        var health = (await system.GetJsonAsync($"/api/v1/vims/{binary}"))["health"]!;
        HostileBytes.AssertReadable(health["lastError"]!.GetValue<string>());

        // Nothing holds them: both VIMs can go.
        foreach (var vim in new[] { binary, json, success })
        {
            using var deleted = await system.Api.DeleteAsync($"/api/v1/vims/{vim}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
    }

    static string State(JsonObject target) => target["state"]!.GetValue<string>();

    async Task<string> RegisterSimulatedAsync(string name, Fault fault)
    {
        var vimId = system.VimIdOf(name);
        _simulator.Configure(vimId, new SimulatedVimBehaviour { FailWith = fault });
        return await system.RegisterVimAsync(name, _simulator.EndpointOf(vimId));
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Bench;

/// <summary>
/// Registering a fleet: 10,000 OpenStack VIMs with Keystone credentials in one <c>PUT /api/v1/vims</c>, the same request
/// again (every VIM already as asked: nothing written), and one with every VIM's credentials changed (each encrypted
/// again); beside the same 10,000 registered one <c>POST /api/v1/vims</c> at a time, as scripts did before, which the
/// per-caller rate limit (100/s by default) holds to about 100 s.
/// </summary>
public static class VimRegistrationBench
{
    public const int Fleet = 10_000;

    public static async Task<List<(string What, string Ours, string Reference, string Ratio)>> MeasureAsync(BenchSystem system)
    {
        var run = $"reg{Guid.NewGuid():N}"[..11];
        await BulkAsync(system, Vims($"{run}-warm", 500, "warm")); // JIT and pools at steady state
        await OneAtATimeAsync(system, Vims($"{run}-warm1", 50, "warm"));

        var created = await BulkAsync(system, Vims(run, Fleet, "first"));
        var repeated = await BulkAsync(system, Vims(run, Fleet, "first"));
        var updated = await BulkAsync(system, Vims(run, Fleet, "second"));
        var oneAtATime = await OneAtATimeAsync(system, Vims($"{run}-single", Fleet, "first"));

        return
        [
            ($"{Fleet:N0} VIMs registered: one bulk PUT vs POST one at a time", $"{created.TotalSeconds:0.00} s", $"{oneAtATime.TotalSeconds:0.0} s", $"{oneAtATime / created:0}"),
            ($"  the same PUT again (all unchanged) / every password changed", $"{repeated.TotalSeconds:0.00} s / {updated.TotalSeconds:0.00} s", "", ""),
        ];
    }

    static List<JsonObject> Vims(string prefix, int count, string password) => [.. Enumerable.Range(0, count).Select(i => new JsonObject
    {
        ["id"] = $"{prefix}_{i:D5}",
        ["type"] = "openstack",
        ["endpoint"] = $"https://glance-{i}.{prefix}.example.net:9292/",
        ["identityUrl"] = $"https://keystone.{prefix}.example.net:5000/v3",
        ["region"] = $"region-{i % 50}",
        ["tags"] = new JsonArray("edge", $"wave-{i % 10}"),
        ["credentials"] = new JsonObject { ["username"] = "imagemanager", ["password"] = $"{password}-{i}-{prefix}", ["projectName"] = "images" },
    })];

    static async Task<TimeSpan> BulkAsync(BenchSystem system, List<JsonObject> vims)
    {
        var body = new JsonObject { ["vims"] = new JsonArray([.. vims]) };
        var clock = Stopwatch.StartNew();
        using var response = await system.Api.PutAsJsonAsync("/api/v1/vims", body);
        var elapsed = clock.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The bulk upsert answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Console.Error.WriteLine($"[bench] bulk upsert of {vims.Count:N0} VIMs: {elapsed.TotalSeconds:0.00} s, {await response.Content.ReadAsStringAsync()}");
        return elapsed;
    }

    static async Task<TimeSpan> OneAtATimeAsync(BenchSystem system, List<JsonObject> vims)
    {
        var clock = Stopwatch.StartNew();
        foreach (var vim in vims)
        {
            while (true)
            {
                using var response = await system.Api.PostAsJsonAsync("/api/v1/vims", vim);
                if ((int)response.StatusCode == 429)
                {
                    // As a well-behaved script does: wait as told, then send the same registration again.
                    await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
                    continue;
                }

                response.EnsureSuccessStatusCode();
                break;
            }
        }

        return clock.Elapsed;
    }
}

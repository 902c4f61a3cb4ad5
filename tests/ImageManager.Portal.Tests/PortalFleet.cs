using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.Portal.Tests;

/// <summary>
/// 10,000 VIMs in 20 regions, registered with one bulk <c>PUT /vims</c>: four in five are simulated Glance VIMs that
/// answer (healthy), every fifth an address nobody listens on (unhealthy). Tagged edge or core, some 5g. Registered
/// once per run and waited for until every VIM has been probed, so counts and screenshots are settled.
/// </summary>
public sealed class PortalFleet
{
    public const int Size = 10_000;
    public static readonly string[] Regions =
    [
        "amsterdam", "atlanta", "berlin", "chicago", "dallas", "denver", "dublin", "frankfurt", "london", "madrid",
        "miami", "milan", "new-york", "paris", "seattle", "stockholm", "tokyo", "toronto", "vienna", "warsaw",
    ];

    PortalFleet(string owner) => Owner = owner;

    /// <summary>The VIMs' cloud owner, the first part of their ids: <c>{Owner}_{region}-{n}</c>.</summary>
    public string Owner { get; }

    public static int PerRegion => Size / Regions.Length;

    public static bool Answers(int n) => n % 5 != 0;

    public string VimId(string region, int n) => $"{Owner}_{region}-{n.ToString("0000", CultureInfo.InvariantCulture)}";

    public static async Task<PortalFleet> RegisterAsync(PortalFixture system)
    {
        // Ids sort after the tests' own VIMs (portal_…), so pages of those stay where the other tests look.
        var fleet = new PortalFleet($"telco{system.RunId}");
        var vims = new JsonArray();
        foreach (var region in Regions)
        {
            for (var n = 1; n <= PerRegion; n++)
            {
                var id = fleet.VimId(region, n);
                var tags = new JsonArray(n % 4 == 0 ? "core" : "edge");
                if (n % 3 == 0)
                {
                    tags.Add("5g");
                }

                vims.Add(new JsonObject
                {
                    ["id"] = id,
                    ["type"] = "openstack",
                    ["region"] = region,
                    ["tags"] = tags,
                    ["endpoint"] = Answers(n) ? system.Simulator.EndpointOf(id).ToString() : "http://127.0.0.1:9/",
                });
            }
        }

        using var response = await system.Api.PutAsJsonAsync("/api/v1/vims", new JsonObject { ["vims"] = vims });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The bulk registration answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // Probed in the background after the registration: settled when none is unknown any more.
        await Eventually.Get(() => system.PollJsonAsync($"/api/v1/fleet/vims?idPrefix={fleet.Owner}_"),
            counted => counted["byHealth"]?["unknown"]?.GetValue<int>() == 0 && counted["count"]?.GetValue<int>() == Size,
            TimeSpan.FromMinutes(5), "the 10,000 VIMs to be registered and probed");
        return fleet;
    }
}

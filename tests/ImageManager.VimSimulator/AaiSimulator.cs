using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageManager.VimSimulator;

/// <summary>
/// ONAP A&amp;AI's cloud-region inventory, as much of it as Image Manager reads, on a 127.0.0.1 port: <c>GET
/// /aai/{version}/cloud-infrastructure/cloud-regions</c> answered in A&amp;AI's JSON (schema <see cref="Version"/>, from
/// <c>aai_schema_v32.xsd</c> of onap/aai-schema-service): <c>{"cloud-region": [...]}</c>, each region with its
/// <c>esr-system-info-list</c> and other children unless <c>depth=0</c>; paged by <c>resultIndex</c> (from 1) and
/// <c>resultSize</c> with the <c>total-results</c> and <c>total-pages</c> headers, as aai-resources pages. Like A&amp;AI it
/// wants HTTP basic authentication, an <c>X-FromAppId</c> and an <c>X-TransactionId</c>, and answers an empty collection
/// with 404 "Node Not Found" (ERR.5.4.6114); its errors are A&amp;AI's <c>requestError</c> documents.
/// </summary>
public sealed class AaiSimulator : IAsyncDisposable
{
    /// <summary>The A&amp;AI REST version served (and the schema the documents follow).</summary>
    public const string Version = "v32";

    readonly ConcurrentDictionary<string, JsonObject> _regions = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<string> _requests = new();
    readonly WebApplication _app;
    volatile string _basic = "";

    AaiSimulator(string username, string password)
    {
        Accept(username, password);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/aai/{version}/cloud-infrastructure/cloud-regions", CloudRegions);
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>What was asked, path and query, in order: paging and headers are checked by tests through it.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Starts on a free 127.0.0.1 port, accepting only <paramref name="username"/> and <paramref name="password"/>.</summary>
    public static async Task<AaiSimulator> StartAsync(string username, string password)
    {
        var simulator = new AaiSimulator(username, password);
        await simulator._app.StartAsync();
        var address = simulator._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return simulator;
    }

    /// <summary>From now on accepts only these credentials, as when A&amp;AI's password is changed behind its clients' backs.</summary>
    public void Accept(string username, string password) =>
        _basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    /// <summary>Adds or replaces a cloud region (an A&amp;AI <c>cloud-region</c> object, e.g. from <see cref="CloudRegion"/>).</summary>
    public void Put(JsonObject region) =>
        _regions[$"{region["cloud-owner"]}/{region["cloud-region-id"]}"] = (JsonObject)region.DeepClone();

    public bool Remove(string cloudOwner, string cloudRegionId) => _regions.TryRemove($"{cloudOwner}/{cloudRegionId}", out _);

    public void Clear() => _regions.Clear();

    /// <summary>
    /// A cloud region as A&amp;AI holds one after ESR registered an OpenStack VIM: its keys, type and version, a tenant, a
    /// relationship to its complex, and one <c>esr-system-info</c> of system-type VIM with Keystone's URL, a user, a password,
    /// a domain, the default tenant (project) and TLS settings. <paramref name="esr"/> changes or adds members of the
    /// esr-system-info (a null value removes one).
    /// </summary>
    public static JsonObject CloudRegion(string cloudOwner, string cloudRegionId, Uri serviceUrl, string userName, string password,
        IReadOnlyDictionary<string, JsonNode?>? esr = null)
    {
        var system = new JsonObject
        {
            ["esr-system-info-id"] = Guid.NewGuid().ToString(),
            ["system-name"] = $"{cloudOwner}-{cloudRegionId}",
            ["type"] = "openstack",
            ["vendor"] = "WindRiver",
            ["version"] = "ocata",
            ["service-url"] = serviceUrl.AbsoluteUri,
            ["user-name"] = userName,
            ["password"] = password,
            ["system-type"] = "VIM",
            ["ssl-insecure"] = false,
            ["cloud-domain"] = "Default",
            ["default-tenant"] = "admin",
            ["resource-version"] = Stamp(),
        };
        foreach (var (name, value) in esr ?? new Dictionary<string, JsonNode?>())
        {
            if (value is null)
            {
                system.Remove(name);
            }
            else
            {
                system[name] = value.DeepClone();
            }
        }

        return new JsonObject
        {
            ["cloud-owner"] = cloudOwner,
            ["cloud-region-id"] = cloudRegionId,
            ["cloud-type"] = "openstack",
            ["owner-defined-type"] = "t1",
            ["cloud-region-version"] = "ocata",
            ["identity-url"] = $"http://multicloud.onap:9001/api/multicloud/v0/{cloudOwner}_{cloudRegionId}/identity/v2.0",
            ["cloud-zone"] = "z1",
            ["complex-name"] = "clli1",
            ["cloud-extra-info"] = "",
            ["orchestration-disabled"] = false,
            ["in-maint"] = false,
            ["resource-version"] = Stamp(),
            ["tenants"] = new JsonObject
            {
                ["tenant"] = new JsonArray(new JsonObject
                {
                    ["tenant-id"] = Guid.NewGuid().ToString("N"),
                    ["tenant-name"] = "admin",
                    ["resource-version"] = Stamp(),
                }),
            },
            ["esr-system-info-list"] = new JsonObject { ["esr-system-info"] = new JsonArray(system) },
            ["relationship-list"] = new JsonObject
            {
                ["relationship"] = new JsonArray(new JsonObject
                {
                    ["related-to"] = "complex",
                    ["relationship-label"] = "org.onap.relationships.inventory.LocatedIn",
                    ["related-link"] = $"/aai/{Version}/cloud-infrastructure/complexes/complex/clli1",
                    ["relationship-data"] = new JsonArray(new JsonObject { ["relationship-key"] = "complex.physical-location-id", ["relationship-value"] = "clli1" }),
                }),
            },
        };
    }

    static string Stamp() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    IResult CloudRegions(HttpContext http, string version)
    {
        var request = http.Request;
        _requests.Enqueue(request.Path + request.QueryString);
        if (request.Headers.Authorization.ToString() != _basic)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Realm\"";
            return Error(StatusCodes.Status401Unauthorized, "policyException", "POL3300", "Permission denied - %1", ["Unauthorized", "ERR.5.1.3300"]);
        }

        if (string.IsNullOrEmpty(request.Headers["X-FromAppId"]))
        {
            return Error(StatusCodes.Status400BadRequest, "serviceException", "SVC3000", "Invalid input performing %1 on %2 (msg=%3) (ec=%4)",
                ["GET", "cloud-infrastructure/cloud-regions", "Invalid X-FromAppId in header", "ERR.4.0.4009"]);
        }

        if (string.IsNullOrEmpty(request.Headers["X-TransactionId"]))
        {
            return Error(StatusCodes.Status400BadRequest, "serviceException", "SVC3000", "Invalid input performing %1 on %2 (msg=%3) (ec=%4)",
                ["GET", "cloud-infrastructure/cloud-regions", "Invalid X-TransactionId in header", "ERR.4.0.4010"]);
        }

        if (version != Version)
        {
            return Error(StatusCodes.Status404NotFound, "serviceException", "SVC3002", "Error writing output performing %1 on %2 (msg=%3) (ec=%4)",
                ["GET", request.Path.Value ?? "", $"Unrecognized version {version}", "ERR.5.6.3017"]);
        }

        var regions = _regions.Values
            .Where(r => request.Query["cloud-owner"] is not [{ } owner] || r["cloud-owner"]?.GetValue<string>() == owner)
            .OrderBy(r => r["cloud-owner"]!.GetValue<string>(), StringComparer.Ordinal)
            .ThenBy(r => r["cloud-region-id"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var (page, size) = (Number(request.Query["resultIndex"]), Number(request.Query["resultSize"]));
        var paged = page > 0 && size > 0;
        var shown = paged ? regions.Skip((page - 1) * size).Take(size).ToList() : regions;
        if (shown.Count == 0)
        {
            return Error(StatusCodes.Status404NotFound, "serviceException", "SVC3001", "Resource not found for %1 using id %2 (msg=%3) (ec=%4)",
                ["GET", "cloud-infrastructure/cloud-regions", "Node Not Found:No Node of type cloud-region found at: cloud-infrastructure/cloud-regions", "ERR.5.4.6114"]);
        }

        if (paged)
        {
            http.Response.Headers["total-results"] = regions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers["total-pages"] = ((regions.Count + size - 1) / size).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var depthZero = request.Query["depth"] == "0";
        return Results.Json(new JsonObject
        {
            ["cloud-region"] = new JsonArray([.. shown.Select(r => (JsonNode)(depthZero ? WithoutChildren(r) : r.DeepClone()))]),
        });
    }

    /// <summary>The region's own attributes only, as <c>depth=0</c> answers: its children (esr-system-info, tenants...) left out.</summary>
    static JsonObject WithoutChildren(JsonObject region)
    {
        var copy = (JsonObject)region.DeepClone();
        foreach (var (name, value) in copy.ToList())
        {
            if (value is JsonObject && name != "relationship-list")
            {
                copy.Remove(name);
            }
        }

        return copy;
    }

    static int Number(Microsoft.Extensions.Primitives.StringValues value) => int.TryParse(value.ToString(), out var number) ? number : -1;

    static IResult Error(int status, string kind, string messageId, string text, string[] variables) =>
        Results.Json(new JsonObject
        {
            ["requestError"] = new JsonObject
            {
                [kind] = new JsonObject { ["messageId"] = messageId, ["text"] = text, ["variables"] = new JsonArray([.. variables.Select(v => (JsonNode)v)]) },
            },
        }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

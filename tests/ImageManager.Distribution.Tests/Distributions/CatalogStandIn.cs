using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageManager.Distribution.Tests.Distributions;

/// <summary>
/// An HTTP server on 127.0.0.1 answering <c>GET /api/v1/images/{id}</c> as the Catalog does, with the images a test puts
/// in it: the Catalog itself (EF Core 9) cannot run in this process (EF Core 10). It insists on the service token.
/// </summary>
public sealed class CatalogStandIn : IAsyncLifetime
{
    public const string ServiceToken = "catalog-stand-in-service-token-0123456789";
    readonly ConcurrentDictionary<Guid, JsonObject> _images = new();
    WebApplication _app = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>Puts an active vm-image (qcow2) in the catalogue; <paramref name="fields"/> add to or override its fields.</summary>
    public void Add(Guid id, string name, string version, JsonObject? fields = null)
    {
        var image = new JsonObject
        {
            ["id"] = id,
            ["kind"] = "vm-image",
            ["name"] = name,
            ["version"] = version,
            ["status"] = "active",
            ["detectedType"] = "qcow2",
        };
        foreach (var (key, value) in fields ?? [])
        {
            image[key] = value?.DeepClone();
        }

        _images[id] = image;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/api/v1/images/{id:guid}", (Guid id, HttpRequest request) =>
            request.Headers.Authorization != $"Bearer {ServiceToken}" ? Results.Unauthorized()
            : _images.TryGetValue(id, out var image) ? Results.Json(image)
            : Results.Problem(statusCode: 404, detail: $"There is no image {id}."));
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}

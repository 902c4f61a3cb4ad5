using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageManager.VimSimulator;

/// <summary>
/// Many virtual VIMs on one 127.0.0.1 port: VIM <c>x</c> is at <see cref="EndpointOf"/>(x), and speaks the subset of
/// Glance v2 that the driver uses (create, show, list by name and hash, upload, delete) the way the real Glance answers
/// it; the driver test suite runs against both, so the two cannot drift apart. Each VIM can be given latency, a
/// bandwidth cap and faults (<see cref="Configure"/>). Bytes are hashed and counted, never kept: ten thousand VIMs
/// holding an image cost ten thousand small records. Virtual OCI registries live beside them, at
/// <see cref="RegistryEndpointOf"/>(x) (<see cref="SimulatedRegistries"/>), with the same behaviours.
/// </summary>
public sealed class VimSimulator : IAsyncDisposable
{
    static readonly string[] DiskFormats = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];
    static readonly string[] ContainerFormats = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];

    readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedImage>> _vims = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, SimulatedVimBehaviour> _behaviours = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _uploads = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<SimulatedUpload> _uploadLog = new();
    readonly Random _random;
    readonly WebApplication _app;
    readonly SimulatedRegistries _registries;
    long _requests;

    VimSimulator(int seed)
    {
        _random = new Random(seed);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        _app = builder.Build();
        _app.Use(ApplyBehaviourAsync);
        var images = _app.MapGroup("/vims/{vim}/v2/images");
        images.MapPost("/", CreateAsync);
        images.MapGet("/", List);
        images.MapGet("/{id}", Show);
        images.MapPut("/{id}/file", UploadAsync);
        images.MapDelete("/{id}", Delete);
        _registries = new SimulatedRegistries(BehaviourOf, () => Address);
        _registries.Map(_app);
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Requests answered or failed so far, all VIMs together.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>What a VIM does when nothing particular was configured for it.</summary>
    public SimulatedVimBehaviour DefaultBehaviour { get; set; } = SimulatedVimBehaviour.Healthy;

    public static async Task<VimSimulator> StartAsync(int seed = 42)
    {
        var simulator = new VimSimulator(seed);
        await simulator._app.StartAsync();
        var address = simulator._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return simulator;
    }

    /// <summary>The endpoint of one virtual VIM, as a VIM registration names it.</summary>
    public Uri EndpointOf(string vimId) => new(Address, $"vims/{Uri.EscapeDataString(vimId)}/");

    /// <summary>The endpoint of one virtual OCI registry, as an oci-registry VIM registration names it.</summary>
    public Uri RegistryEndpointOf(string vimId) => new(Address, $"registries/{Uri.EscapeDataString(vimId)}/");

    /// <summary>What a virtual registry holds and has seen.</summary>
    public SimulatedRegistry RegistryOf(string vimId) => _registries[vimId];

    public void Configure(string vimId, SimulatedVimBehaviour behaviour) => _behaviours[vimId] = behaviour;

    SimulatedVimBehaviour BehaviourOf(string vimId) => _behaviours.TryGetValue(vimId, out var configured) ? configured : DefaultBehaviour;

    /// <summary>The images a VIM holds now.</summary>
    public IReadOnlyList<SimulatedImage> ImagesOf(string vimId) => _vims.TryGetValue(vimId, out var images) ? [.. images.Values] : [];

    /// <summary>How many uploads of bytes (PUT file) a VIM has accepted: a second upload of one image shows here.</summary>
    public int UploadsTo(string vimId) => _uploads.GetValueOrDefault(vimId);

    /// <summary>Every accepted upload of bytes so far, with when it started and ended.</summary>
    public IReadOnlyList<SimulatedUpload> UploadLog => [.. _uploadLog];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    async Task ApplyBehaviourAsync(HttpContext http, RequestDelegate next)
    {
        Interlocked.Increment(ref _requests);
        var vim = http.Request.RouteValues.TryGetValue("vim", out var routed) ? routed as string : VimOf(http.Request.Path);
        var behaviour = vim is null ? DefaultBehaviour : BehaviourOf(vim);
        if (behaviour.Latency > TimeSpan.Zero)
        {
            await Task.Delay(behaviour.Latency, http.RequestAborted);
        }

        var fault = behaviour.FailWith ?? Draw(behaviour);
        if (fault is null)
        {
            await next(http);
        }
        else if (fault.Reset)
        {
            http.Abort();
        }
        else if (fault.Timeout)
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        else
        {
            http.Response.StatusCode = fault.StatusCode!.Value;
            await http.Response.WriteAsync($"{fault.StatusCode} {ReasonPhrases.GetReasonPhrase(fault.StatusCode.Value)}\n\nThe simulated VIM '{vim}' failed this request on purpose.");
        }
    }

    Fault? Draw(SimulatedVimBehaviour behaviour)
    {
        if (behaviour.ServerErrorRate + behaviour.TimeoutRate + behaviour.ResetRate <= 0)
        {
            return null;
        }

        double roll;
        lock (_random)
        {
            roll = _random.NextDouble();
        }

        return roll < behaviour.ServerErrorRate ? Fault.Status(StatusCodes.Status503ServiceUnavailable)
            : roll < behaviour.ServerErrorRate + behaviour.TimeoutRate ? Fault.Hang
            : roll < behaviour.ServerErrorRate + behaviour.TimeoutRate + behaviour.ResetRate ? Fault.ResetConnection
            : null;
    }

    static string? VimOf(PathString path)
    {
        var segments = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["vims" or "registries", var vim, ..] ? Uri.UnescapeDataString(vim) : null;
    }

    async Task<IResult> CreateAsync(string vim, HttpContext http)
    {
        var body = await http.Request.ReadFromJsonAsync<JsonObject>(http.RequestAborted);
        if (body is null)
        {
            return Text(StatusCodes.Status400BadRequest, "Request body must be a JSON image object.");
        }

        foreach (var (field, allowed) in new[] { ("disk_format", DiskFormats), ("container_format", ContainerFormats) })
        {
            if (body[field]?.GetValue<string>() is { } value && !allowed.Contains(value))
            {
                return Text(StatusCodes.Status400BadRequest, $"Provided object does not match schema 'image': '{value}' is not one of {string.Join(", ", allowed)}\n\nFailed validating 'enum' in schema['properties']['{field}']");
            }
        }

        var id = body["id"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var record = new JsonObject
        {
            ["id"] = id,
            ["status"] = "queued",
            ["visibility"] = "shared",
            ["protected"] = false,
            ["size"] = null,
            ["checksum"] = null,
            ["os_hash_algo"] = null,
            ["os_hash_value"] = null,
            ["created_at"] = now,
            ["updated_at"] = now,
        };
        foreach (var (key, value) in body)
        {
            record[key] = value?.DeepClone();
        }

        record["status"] = "queued";
        var images = _vims.GetOrAdd(vim, _ => new ConcurrentDictionary<string, SimulatedImage>(StringComparer.Ordinal));
        return images.TryAdd(id, new SimulatedImage(record))
            ? Results.Json(record, statusCode: StatusCodes.Status201Created)
            : Text(StatusCodes.Status409Conflict, $"Image with identifier {id} already exists!");
    }

    IResult Show(string vim, string id)
    {
        if (Find(vim, id) is not { } image)
        {
            return Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");
        }

        lock (image)
        {
            return Results.Json(image.Record.DeepClone());
        }
    }

    IResult List(string vim, string? name, string? os_hash_value, string? status)
    {
        var found = ImagesOf(vim)
            .Where(i => name is null || i.Record["name"]?.GetValue<string>() == name)
            .Where(i => status is null || i.Status == status)
            .Where(i => os_hash_value is null || i.Sha512 == os_hash_value)
            .Select(i => i.Record.DeepClone())
            .ToArray();
        return Results.Json(new JsonObject { ["images"] = new JsonArray(found) });
    }

    async Task<IResult> UploadAsync(string vim, string id, HttpContext http)
    {
        if (Find(vim, id) is not { } image)
        {
            return Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");
        }

        lock (image)
        {
            if (image.Status != "queued")
            {
                return Text(StatusCodes.Status409Conflict, $"Image status transition from {image.Status} to saving is not allowed");
            }

            image.Record["status"] = "saving";
        }

        var behaviour = BehaviourOf(vim);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        long size = 0;
        var buffer = new byte[81920];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                sha512.AppendData(buffer, 0, read);
                size += read;
                if (behaviour.BandwidthBytesPerSecond is { } bandwidth)
                {
                    var due = TimeSpan.FromSeconds((double)size / bandwidth) - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, http.RequestAborted);
                    }
                }
            }
        }
        catch
        {
            lock (image)
            {
                image.Record["status"] = "queued"; // a broken upload leaves the image waiting for its bytes, as Glance does
            }

            throw;
        }

        lock (image)
        {
            image.Record["status"] = "active";
            image.Record["size"] = size;
            image.Record["os_hash_algo"] = "sha512";
            image.Record["os_hash_value"] = Convert.ToHexStringLower(sha512.GetHashAndReset());
            image.Record["updated_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }

        _uploads.AddOrUpdate(vim, 1, (_, count) => count + 1);
        _uploadLog.Enqueue(new SimulatedUpload(vim, id, size, started, DateTimeOffset.UtcNow));
        return Results.NoContent();
    }

    IResult Delete(string vim, string id) =>
        _vims.TryGetValue(vim, out var images) && images.TryRemove(id, out _)
            ? Results.NoContent()
            : Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");

    SimulatedImage? Find(string vim, string id) => _vims.TryGetValue(vim, out var images) && images.TryGetValue(id, out var image) ? image : null;

    static IResult Text(int status, string detail) =>
        Results.Text($"{status} {ReasonPhrases.GetReasonPhrase(status)}\n\n{detail}\n\n", "text/plain", statusCode: status);
}

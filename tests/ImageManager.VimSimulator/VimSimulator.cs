using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
/// Glance v2 that the driver uses (create, show, list by name and hash, upload, web-download import and the image's
/// tasks, delete, deactivate and reactivate, download) the way the real Glance answers it; the driver test suite runs against both, so the two cannot drift
/// apart. Each VIM can be given latency, a bandwidth cap and faults (<see cref="Configure"/>), and can require Keystone
/// tokens (<see cref="RequireKeystone"/>) from the simulator's own Keystone v3 (<see cref="Keystone"/>). Served over
/// HTTPS when given a certificate. Bytes are hashed and counted, never kept: ten thousand VIMs holding an image cost ten
/// thousand small records. The same VIMs also answer a subset of ONAP Multicloud's image service
/// (<see cref="Multicloud"/>). Virtual OCI registries live beside them, at <see cref="RegistryEndpointOf"/>(x)
/// (<see cref="SimulatedRegistries"/>), with the same behaviours.
/// </summary>
public sealed class VimSimulator : IAsyncDisposable
{
    static readonly string[] DiskFormats = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];
    static readonly string[] ContainerFormats = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];

    readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedImage>> _vims = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, SimulatedVimBehaviour> _behaviours = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _uploads = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<SimulatedUpload> _uploadLog = new();
    readonly ConcurrentDictionary<string, bool> _keystoneProtected = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _tasks = new(StringComparer.Ordinal);
    readonly HttpClient _downloads = new() { Timeout = TimeSpan.FromMinutes(10) };
    readonly CancellationTokenSource _stopping = new();
    readonly ConcurrentDictionary<string, int> _requestsTo = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, ConcurrentQueue<Uri>> _importUris = new(StringComparer.Ordinal);
    readonly Random _random;
    readonly WebApplication _app;
    readonly SimulatedRegistries _registries;
    long _requests;

    VimSimulator(int seed, X509Certificate2? certificate)
    {
        _random = new Random(seed);
        Keystone = new SimulatedKeystone(() => Address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
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
        images.MapPost("/{id}/import", ImportAsync);
        images.MapGet("/{id}/tasks", Tasks);
        images.MapDelete("/{id}", Delete);
        images.MapPost("/{id}/actions/deactivate", (string vim, string id) => Act(vim, id, from: "active", to: "deactivated"));
        images.MapPost("/{id}/actions/reactivate", (string vim, string id) => Act(vim, id, from: "deactivated", to: "active"));
        images.MapGet("/{id}/file", Download);
        _registries = new SimulatedRegistries(BehaviourOf, () => Address);
        _registries.Map(_app);
        Keystone.Map(_app);
        Multicloud = new SimulatedMulticloud(this);
        Multicloud.Map(_app);
    }

    /// <summary>The simulator's Keystone v3, at <see cref="SimulatedKeystone.IdentityUrl"/>; its faults are configured under <see cref="SimulatedKeystone.PathPrefix"/>.</summary>
    public SimulatedKeystone Keystone { get; }

    /// <summary>The ONAP Multicloud image service of the same virtual VIMs, under its own path prefix.</summary>
    public SimulatedMulticloud Multicloud { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>Requests answered or failed so far, all VIMs together.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>What a VIM does when nothing particular was configured for it.</summary>
    public SimulatedVimBehaviour DefaultBehaviour { get; set; } = SimulatedVimBehaviour.Healthy;

    /// <summary>Starts on a free 127.0.0.1 port; over HTTPS with <paramref name="certificate"/> (which must hold its private key).</summary>
    public static async Task<VimSimulator> StartAsync(int seed = 42, X509Certificate2? certificate = null)
    {
        var simulator = new VimSimulator(seed, certificate);
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

    /// <summary>The URIs web-download imports to a VIM were asked to pull from, in order (signed links included).</summary>
    public IReadOnlyList<Uri> ImportUrisOf(string vimId) => _importUris.TryGetValue(vimId, out var uris) ? [.. uris] : [];

    internal SimulatedVimBehaviour BehaviourOf(string vimId) => _behaviours.TryGetValue(vimId, out var configured) ? configured : DefaultBehaviour;

    /// <summary>
    /// The VIM answers only requests with a token of <see cref="Keystone"/>, 401 otherwise, as Glance behind
    /// keystonemiddleware does.
    /// </summary>
    public void RequireKeystone(string vimId) => _keystoneProtected[vimId] = true;

    /// <summary>The images a VIM holds now.</summary>
    public IReadOnlyList<SimulatedImage> ImagesOf(string vimId) => _vims.TryGetValue(vimId, out var images) ? [.. images.Values] : [];

    /// <summary>How many uploads of bytes (PUT file) a VIM has accepted: a second upload of one image shows here.</summary>
    public int UploadsTo(string vimId) => _uploads.GetValueOrDefault(vimId);

    /// <summary>Every accepted upload of bytes so far, with when it started and ended.</summary>
    public IReadOnlyList<SimulatedUpload> UploadLog => [.. _uploadLog];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _downloads.Dispose();
        _stopping.Dispose();
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

        var fault = FaultFor(vim, behaviour);
        if (fault is null && vim is not null && _keystoneProtected.ContainsKey(vim) && !Keystone.Accepts(http.Request.Headers["X-Auth-Token"]))
        {
            // keystonemiddleware's answer to a missing, unknown, revoked or expired token.
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = $"Keystone uri=\"{Keystone.IdentityUrl.AbsoluteUri.TrimEnd('/')}\"";
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = 401, ["title"] = "Unauthorized", ["message"] = "The request you have made requires authentication." },
            });
        }
        else if (fault is null && behaviour.BasicCredentials is { } credentials
            && http.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "Authentication required." });
        }
        else if (fault is null)
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
            if (fault.Body is { } body)
            {
                http.Response.ContentType = fault.ContentType;
                await http.Response.Body.WriteAsync(body);
            }
            else
            {
                await http.Response.WriteAsync($"{fault.StatusCode} {ReasonPhrases.GetReasonPhrase(fault.StatusCode.Value)}\n\nThe simulated VIM '{vim}' failed this request on purpose.");
            }
        }
    }

    /// <summary>The configured fault (for every request, or for the VIM's first <see cref="SimulatedVimBehaviour.FailFirst"/>), else a drawn one.</summary>
    Fault? FaultFor(string? vim, SimulatedVimBehaviour behaviour) =>
        behaviour.FailWith is { } fault && (behaviour.FailFirst == 0 || (vim is not null && _requestsTo.AddOrUpdate(vim, 1, (_, n) => n + 1) <= behaviour.FailFirst))
            ? fault
            : Draw(behaviour);

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
        return segments switch
        {
            ["vims" or "registries", var vim, ..] => Uri.UnescapeDataString(vim),
            [SimulatedKeystone.PathPrefix, ..] => SimulatedKeystone.PathPrefix,
            [_, _, _, _, var vim, ..] when path.StartsWithSegments(SimulatedMulticloud.Prefix, StringComparison.Ordinal) => Uri.UnescapeDataString(vim),
            _ => null,
        };
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

        var started = DateTimeOffset.UtcNow;
        long size;
        string sha512;
        try
        {
            (size, sha512) = await ReceiveAsync(vim, http.Request.Body, http.RequestAborted);
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
            image.Record["os_hash_value"] = sha512;
            image.Record["updated_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }

        CountUpload(new SimulatedUpload(vim, id, size, started, DateTimeOffset.UtcNow));
        return Results.NoContent();
    }

    /// <summary>
    /// Glance's interoperable import, web-download only: the image must be queued; Glance records a pending task (with the
    /// request id it answers with) and answers 202, and its task marks the image importing, possibly after that answer,
    /// then fetches the URL (here in the background, hashing as it reads). A failed fetch puts the image back to queued
    /// with the store in <c>os_glance_failed_import</c> and a failed task, as Glance does.
    /// </summary>
    async Task<IResult> ImportAsync(string vim, string id, HttpContext http)
    {
        if (Find(vim, id) is not { } image)
        {
            return Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");
        }

        var body = await http.Request.ReadFromJsonAsync<JsonObject>(http.RequestAborted);
        var method = body?["method"]?["name"]?.GetValue<string>();
        if (method != "web-download")
        {
            return Text(StatusCodes.Status400BadRequest, $"Import method {method} is not valid");
        }

        if (!Uri.TryCreate(body!["method"]?["uri"]?.GetValue<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Text(StatusCodes.Status400BadRequest, "URI for web-download does not pass filtering");
        }

        _importUris.GetOrAdd(vim, _ => new ConcurrentQueue<Uri>()).Enqueue(uri);
        if (BehaviourOf(vim).WebDownloadFiltered)
        {
            // Glance's own words, the URI quoted whole (glance/api/v2/images.py).
            return Text(StatusCodes.Status400BadRequest, $"URI for web-download does not pass filtering: {uri}");
        }

        var requestId = $"req-{Guid.NewGuid()}";
        var task = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = "api_image_import",
            ["status"] = "pending",
            ["created_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
            ["image_id"] = id,
            ["request_id"] = requestId,
            ["message"] = "",
        };
        lock (image)
        {
            if (image.Status != "queued" || !string.IsNullOrEmpty(image.Record["os_glance_import_task"]?.GetValue<string>()))
            {
                return Text(StatusCodes.Status409Conflict, $"Image with status {image.Status} cannot be target for import");
            }

            image.Record["os_glance_import_task"] = task["id"]!.GetValue<string>();
        }

        _tasks.GetOrAdd($"{vim}/{id}", _ => new ConcurrentQueue<JsonObject>()).Enqueue(task);
        _ = Task.Run(() => DownloadAsync(vim, image, task, uri));
        http.Response.Headers["X-Openstack-Request-Id"] = requestId;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    async Task DownloadAsync(string vim, SimulatedImage image, JsonObject task, Uri uri)
    {
        var behaviour = _behaviours.TryGetValue(vim, out var configured) ? configured : DefaultBehaviour;
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        long size = 0;

        // The task starts after the import request was answered, as Glance's may: until then the image shows what an
        // earlier import left on it.
        await Task.Delay(TimeSpan.FromMilliseconds(50), _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        lock (image)
        {
            image.Record["status"] = "importing";
            image.Record["os_glance_importing_to_stores"] = "fs";
            image.Record["os_glance_failed_import"] = "";
            task["status"] = "processing";
        }

        try
        {
            using var response = await _downloads.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, _stopping.Token);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(_stopping.Token);
            var buffer = new byte[81920];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int read;
            while ((read = await body.ReadAsync(buffer, _stopping.Token)) > 0)
            {
                sha512.AppendData(buffer, 0, read);
                size += read;
                if (behaviour.BandwidthBytesPerSecond is { } bandwidth && TimeSpan.FromSeconds((double)size / bandwidth) - clock.Elapsed is { Ticks: > 0 } due)
                {
                    await Task.Delay(due, _stopping.Token);
                }
            }
        }
        catch (Exception) when (!_stopping.IsCancellationRequested)
        {
            lock (image)
            {
                image.Record["status"] = "queued";
                image.Record["os_glance_importing_to_stores"] = "";
                image.Record["os_glance_failed_import"] = "fs";
                image.Record.Remove("os_glance_import_task");
                task["status"] = "failure";
                task["message"] = "Task failed due to Internal Error"; // all Glance 25 says of a failed download
            }

            return;
        }

        lock (image)
        {
            image.Record["status"] = "active";
            image.Record["size"] = size;
            image.Record["os_hash_algo"] = "sha512";
            image.Record["os_hash_value"] = Convert.ToHexStringLower(sha512.GetHashAndReset());
            image.Record["os_glance_importing_to_stores"] = "";
            image.Record.Remove("os_glance_import_task");
            image.Record["updated_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            task["status"] = "success";
            task["message"] = $"Copied {size / (1024 * 1024)} MiB";
        }
    }

    IResult Tasks(string vim, string id)
    {
        if (Find(vim, id) is not { } image)
        {
            return Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");
        }

        lock (image)
        {
            var tasks = _tasks.TryGetValue($"{vim}/{id}", out var queue) ? queue.Select(t => t.DeepClone()).ToArray() : [];
            return Results.Json(new JsonObject { ["tasks"] = new JsonArray(tasks) });
        }
    }

    /// <summary>Reads an upload's bytes at the VIM's bandwidth: their size and SHA-512 (hex), nothing kept.</summary>
    internal async Task<(long Size, string Sha512)> ReceiveAsync(string vim, Stream body, CancellationToken cancellationToken)
    {
        var behaviour = BehaviourOf(vim);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        long size = 0;
        var buffer = new byte[81920];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha512.AppendData(buffer, 0, read);
            size += read;
            if (behaviour.BandwidthBytesPerSecond is { } bandwidth)
            {
                var due = TimeSpan.FromSeconds((double)size / bandwidth) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }
        }

        return (size, Convert.ToHexStringLower(sha512.GetHashAndReset()));
    }

    internal void CountUpload(SimulatedUpload upload)
    {
        _uploads.AddOrUpdate(upload.VimId, 1, (_, count) => count + 1);
        _uploadLog.Enqueue(upload);
    }

    /// <summary>
    /// Glance's deactivate and reactivate (glance/domain: a noop when the image is in that state already, 403 from any
    /// other state than <paramref name="from"/>).
    /// </summary>
    IResult Act(string vim, string id, string from, string to)
    {
        if (Find(vim, id) is not { } image)
        {
            return Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");
        }

        lock (image)
        {
            if (image.Status != from && image.Status != to)
            {
                var verb = to == "active" ? "reactivate" : "deactivate";
                return Text(StatusCodes.Status403Forbidden, $"Not allowed to {verb} image in status '{image.Status}'");
            }

            image.Record["status"] = to;
            return Results.NoContent();
        }
    }

    /// <summary>
    /// The image's data as Glance serves it to a project member (the simulator's callers are never admins): refused while
    /// deactivated. The bytes are not kept, so an active image's data is its size in zeros.
    /// </summary>
    IResult Download(string vim, string id)
    {
        if (Find(vim, id) is not { } image)
        {
            return Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");
        }

        lock (image)
        {
            return image.Status switch
            {
                "deactivated" => Text(StatusCodes.Status403Forbidden, "The requested image has been deactivated. Image data download is forbidden."),
                "active" => Results.Bytes(new byte[image.Record["size"]?.GetValue<long>() ?? 0], "application/octet-stream"),
                _ => Results.NoContent(),
            };
        }
    }

    IResult Delete(string vim, string id) =>
        _vims.TryGetValue(vim, out var images) && images.TryRemove(id, out _)
            ? Results.NoContent()
            : Text(StatusCodes.Status404NotFound, $"No image found with ID {id}");

    SimulatedImage? Find(string vim, string id) => _vims.TryGetValue(vim, out var images) && images.TryGetValue(id, out var image) ? image : null;

    static IResult Text(int status, string detail) => new GlanceErrorResult(status, detail);
}

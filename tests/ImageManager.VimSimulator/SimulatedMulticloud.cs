using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ImageManager.VimSimulator;

/// <summary>
/// The subset of ONAP Multicloud's image service that the Multicloud driver uses, on the simulator's VIMs, under
/// <see cref="Prefix"/>: <c>/{vimid}/{tenantid}/images</c> (list, filtered by name), <c>/images/{id}</c> (show, delete)
/// and <c>/images/file</c> (multipart upload of the file with <c>imageType</c>, <c>containerFormat</c>,
/// <c>visibility</c> and <c>properties</c>). Shaped after the Multicloud plugins: images shown with Multicloud's names
/// (<c>imageType</c>, <c>containerFormat</c>) beside the VIM's ids, errors as <c>{"error": "..."}</c>, the upload
/// answered 201 as <c>{"status": {image}}</c> while the image is still <c>queued</c>, and the image turning
/// <c>active</c> a moment later, when Multicloud has passed the bytes on to the cloud behind it. Glance's hash fields
/// are shown as the OpenStack plugins pass them through, unless the VIM hides them as VIO does
/// (<see cref="SimulatedVimBehaviour.HashesHidden"/>). The VIM's faults and latency apply here too.
/// </summary>
public sealed class SimulatedMulticloud
{
    public const string Prefix = "/multicloud/api/multicloud/v0";

    static readonly string[] DiskFormats = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];
    static readonly string[] ContainerFormats = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];

    readonly VimSimulator _simulator;
    readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SimulatedImage>> _tenants = new(StringComparer.Ordinal);

    internal SimulatedMulticloud(VimSimulator simulator) => _simulator = simulator;

    /// <summary>The Multicloud API base, as an <c>onap-multicloud</c> VIM registration names it.</summary>
    public Uri Endpoint => new(_simulator.Address, Prefix.TrimStart('/') + "/");

    /// <summary>How long after the upload's answer the image turns active.</summary>
    public TimeSpan TransferDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The images a VIM's tenant holds now, as records with Glance's field names.</summary>
    public IReadOnlyList<SimulatedImage> ImagesOf(string vimId, string tenant) =>
        _tenants.TryGetValue(Key(vimId, tenant), out var images) ? [.. images.Values] : [];

    internal void Map(IEndpointRouteBuilder app)
    {
        var images = app.MapGroup(Prefix + "/{vim}/{tenant}/images");
        images.MapGet("/", List);
        images.MapPost("/file", UploadFileAsync);
        images.MapGet("/{id}", Show);
        images.MapDelete("/{id}", Delete);
    }

    IResult List(string vim, string tenant, string? name, int? limit)
    {
        var found = ImagesOf(vim, tenant)
            .Where(i => name is null || i.Record["name"]?.GetValue<string>() == name)
            .Take(limit ?? int.MaxValue)
            .Select(i => Shown(vim, i))
            .ToArray();
        var answer = VimFields(vim, tenant);
        answer["images"] = new JsonArray(found);
        return Results.Json(answer);
    }

    IResult Show(string vim, string tenant, string id)
    {
        if (Find(vim, tenant, id) is not { } image)
        {
            return Error(StatusCodes.Status404NotFound, $"No Image found for {id}");
        }

        var answer = Shown(vim, image);
        foreach (var (key, value) in VimFields(vim, tenant))
        {
            answer[key] = value?.DeepClone();
        }

        return Results.Json(answer);
    }

    IResult Delete(string vim, string tenant, string id) =>
        _tenants.TryGetValue(Key(vim, tenant), out var images) && images.TryRemove(id, out _)
            ? Results.NoContent()
            : Error(StatusCodes.Status404NotFound, $"No Image found for {id}");

    async Task<IResult> UploadFileAsync(string vim, string tenant, HttpContext http)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Error(StatusCodes.Status400BadRequest, "The image file is expected as multipart/form-data with a 'file' part.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? fileName = null;
        (long Size, string Sha512)? received = null;
        var started = DateTimeOffset.UtcNow;
        var reader = new MultipartReader(boundary, http.Request.Body);
        while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } field)
            {
                continue;
            }

            if (field == "file" && disposition.IsFileDisposition())
            {
                fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                received = await _simulator.ReceiveAsync(vim, section.Body, http.RequestAborted);
            }
            else
            {
                using var text = new StreamReader(section.Body);
                fields[field] = await text.ReadToEndAsync(http.RequestAborted);
            }
        }

        if (received is not { } bytes || fileName is null)
        {
            return Error(StatusCodes.Status400BadRequest, "'file'");
        }

        var extension = Path.GetExtension(fileName).TrimStart('.');
        var diskFormat = fields.GetValueOrDefault("imageType") ?? extension;
        var containerFormat = fields.GetValueOrDefault("containerFormat") ?? "bare";
        if (!DiskFormats.Contains(diskFormat) || !ContainerFormats.Contains(containerFormat))
        {
            return Error(StatusCodes.Status400BadRequest, $"Invalid disk_format '{diskFormat}' or container_format '{containerFormat}'.");
        }

        JsonObject properties;
        try
        {
            properties = Properties(fields.GetValueOrDefault("properties"));
        }
        catch (JsonException exception)
        {
            return Error(StatusCodes.Status400BadRequest, $"properties is not a list of keyName/value pairs: {exception.Message}");
        }

        var id = Guid.NewGuid().ToString();
        var image = new SimulatedImage(new JsonObject
        {
            ["id"] = id,
            ["name"] = fields.GetValueOrDefault("name") ?? Path.GetFileNameWithoutExtension(fileName),
            ["disk_format"] = diskFormat,
            ["container_format"] = containerFormat,
            ["visibility"] = fields.GetValueOrDefault("visibility") ?? "private",
            ["status"] = "queued",
            ["size"] = null,
            ["os_hash_algo"] = null,
            ["os_hash_value"] = null,
            ["properties"] = properties,
        });
        _tenants.GetOrAdd(Key(vim, tenant), _ => new ConcurrentDictionary<string, SimulatedImage>(StringComparer.Ordinal))[id] = image;
        _simulator.CountUpload(new SimulatedUpload(vim, id, bytes.Size, started, DateTimeOffset.UtcNow));
        var answer = Shown(vim, image);
        answer["returnCode"] = "1";
        foreach (var (key, value) in VimFields(vim, tenant))
        {
            answer[key] = value?.DeepClone();
        }

        _ = SaveLaterAsync(image, bytes.Size, bytes.Sha512);
        return Results.Json(new JsonObject { ["status"] = answer }, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Multicloud passes the bytes on to the cloud after answering; the image is active when that is done.</summary>
    async Task SaveLaterAsync(SimulatedImage image, long size, string sha512)
    {
        await Task.Delay(TransferDelay);
        lock (image)
        {
            image.Record["status"] = "active";
            image.Record["size"] = size;
            image.Record["os_hash_algo"] = "sha512";
            image.Record["os_hash_value"] = sha512;
        }
    }

    /// <summary>The swagger's list of <c>{"keyName", "value"}</c>; a plain object is taken too.</summary>
    static JsonObject Properties(string? text)
    {
        var properties = new JsonObject();
        switch (text is null ? null : JsonNode.Parse(text))
        {
            case JsonArray list:
                foreach (var item in list.OfType<JsonObject>())
                {
                    properties[item["keyName"]?.GetValue<string>() ?? throw new JsonException("a property has no keyName")] = item["value"]?.DeepClone();
                }

                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    properties[key] = value?.DeepClone();
                }

                break;
        }

        return properties;
    }

    JsonObject Shown(string vim, SimulatedImage image)
    {
        lock (image)
        {
            var record = image.Record;
            var shown = new JsonObject
            {
                ["id"] = record["id"]?.DeepClone(),
                ["name"] = record["name"]?.DeepClone(),
                ["imageType"] = record["disk_format"]?.DeepClone(),
                ["containerFormat"] = record["container_format"]?.DeepClone(),
                ["visibility"] = record["visibility"]?.DeepClone(),
                ["status"] = record["status"]?.DeepClone(),
                ["size"] = record["size"]?.DeepClone(),
                ["properties"] = record["properties"]?.DeepClone(),
            };
            if (!_simulator.BehaviourOf(vim).HashesHidden)
            {
                shown["os_hash_algo"] = record["os_hash_algo"]?.DeepClone();
                shown["os_hash_value"] = record["os_hash_value"]?.DeepClone();
            }

            return shown;
        }
    }

    static JsonObject VimFields(string vim, string tenant)
    {
        var owner = vim.Split('_', 2);
        return new JsonObject
        {
            ["vimId"] = vim,
            ["vimName"] = vim,
            ["cloud_owner"] = owner[0],
            ["cloud_region_id"] = owner.Length > 1 ? owner[1] : "",
            ["tenantId"] = tenant,
        };
    }

    SimulatedImage? Find(string vim, string tenant, string id) =>
        _tenants.TryGetValue(Key(vim, tenant), out var images) && images.TryGetValue(id, out var image) ? image : null;

    static string Key(string vim, string tenant) => $"{vim}/{tenant}";

    static IResult Error(int status, string error) => Results.Json(new JsonObject { ["error"] = error }, statusCode: status);
}

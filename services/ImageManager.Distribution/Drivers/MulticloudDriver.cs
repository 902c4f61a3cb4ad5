using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// ONAP Multicloud's image service, for sites reached through Multicloud: <see cref="Vim.Endpoint"/> is the Multicloud
/// API base (e.g. <c>…/api/multicloud/v0/</c>), the remote vimid is our <see cref="Vim.Id"/> (ONAP ids are
/// <c>{cloud-owner}_{cloud-region-id}</c>) and tenantid is <see cref="Vim.Tenant"/>. Images are listed, shown and deleted
/// under <c>/{vimid}/{tenantid}/images</c>; bytes go as a multipart upload to <c>/{vimid}/{tenantid}/images/file</c> (the
/// file, with <c>imageType</c>, <c>containerFormat</c>, <c>visibility</c> and <c>properties</c>), after which Multicloud
/// passes them on to the cloud behind it in the background. Authentication: none, or HTTP basic with the VIM's
/// username and password.
/// </summary>
/// <remarks>
/// What can be verified depends on the Multicloud plugin. Multicloud chooses the image id (we cannot name it in
/// advance as we do with Glance), so an earlier attempt's image is found by name. The image's status and size are
/// always shown and always checked. A plugin that passes Glance's record through (the OpenStack plugins) also shows
/// <c>os_hash_algo</c>/<c>os_hash_value</c>, and then the VIM's own SHA-512 of the bytes is compared with ours, as with
/// Glance; a plugin that shows only its summary (VMware VIO) does not, and then an image is proved by name, status and
/// size only: equal sizes are not proof of equal bytes, and this driver cannot do better through that API. VIO also
/// renames uploaded files with a random suffix, so there an earlier attempt's image is not found by name and a retry
/// uploads again.
/// </remarks>
public sealed class MulticloudDriver : IVimDriver
{
    static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(10);
    static readonly string[] InProgress = ["queued", "saving", "importing", "uploading"];

    public string VimType => "onap-multicloud";

    /// <summary>Multicloud puts images in the site's Glance, which serves disks to Nova: VM images only.</summary>
    public bool Takes(string kind, string? detectedType) => kind == ImageKinds.VmImage;

    public string Holds => "VM images";

    public async Task<VimUploadResult> EnsurePresentAsync(VimUpload upload, CancellationToken cancellationToken)
    {
        var vim = upload.Connection;
        var name = ImageName(upload.Image);
        var candidates = await ListByNameAsync(vim, name, cancellationToken);
        var present = candidates.Where(c => Status(c) == "active" && Mismatch(c, upload.Image) is null).Select(Id).ToList();
        if (present.Count > 0 && await upload.Copies.ChooseExistingAsync(present, cancellationToken) is { } found)
        {
            return new VimUploadResult(found, 0, AlreadyPresent: true);
        }

        if (candidates.FirstOrDefault(c => InProgress.Contains(Status(c))) is { } saving)
        {
            throw new VimTransientException($"Multicloud image {Id(saving)} ('{name}') is still '{Status(saving)}' from an earlier attempt.");
        }

        // Multicloud answers a create with the image already under that name: where that is a copy made for another
        // tenant's image (names are unique per tenant, not across tenants), this one cannot have a copy of its own here.
        foreach (var candidate in candidates)
        {
            if (await upload.Copies.IsAnotherOwnersAsync(Id(candidate), cancellationToken))
            {
                throw new VimRejectedException(
                    $"Multicloud on this VIM finds images by name, and '{name}' there is another tenant's image, put there by Image Manager: a name and " +
                    "version are unique per tenant, so this image needs another version (or another Multicloud tenant) to go there.");
            }
        }

        // Multicloud names the image only when it answers the upload: the claim follows at once. A crash in between leaves
        // an image that the retry finds by name and adopts as found, which is never deleted: the safe side.
        var id = await UploadFileAsync(vim, name, upload, cancellationToken);
        await upload.Copies.ClaimAsync(id, cancellationToken);
        await upload.OnVerifying();
        var stored = await WaitUntilSavedAsync(vim, id, cancellationToken);
        if (Mismatch(stored, upload.Image) is { } mismatch)
        {
            throw new VimRejectedException(mismatch);
        }

        return new VimUploadResult(id, upload.Image.SizeBytes);
    }

    public async Task<VimImagePresence> CheckPresentAsync(VimConnection vim, string vimImageId, DistributableImage image, CancellationToken cancellationToken)
    {
        var stored = await GetImageAsync(vim, vimImageId, cancellationToken);
        if (stored is null)
        {
            return VimImagePresence.Drifted($"Multicloud has no image {vimImageId} on {vim.Vim.Id}/{vim.Vim.Tenant}.");
        }

        var status = Status(stored);
        return status != "active" ? VimImagePresence.Drifted($"Multicloud image {vimImageId} is '{status}', not 'active'.")
            : Mismatch(stored, image) is { } mismatch ? VimImagePresence.Drifted(mismatch)
            : VimImagePresence.Present;
    }

    public string? CannotDeactivate => "ONAP Multicloud's image service cannot deactivate an image; recall with action 'remove' to take it off.";

    public Task<bool> DeactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) =>
        throw new VimRejectedException(CannotDeactivate!);

    public Task<bool> ReactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) =>
        throw new VimRejectedException(CannotDeactivate!);

    public async Task RemoveAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(vim, new HttpRequestMessage(HttpMethod.Delete, ImagesUri(vim, "/" + Uri.EscapeDataString(vimImageId))), cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, "delete the image", cancellationToken);
        }
    }

    public async Task ProbeAsync(VimConnection vim, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(vim, new HttpRequestMessage(HttpMethod.Get, ImagesUri(vim, "?limit=1")), cancellationToken);
        var where = vim.Vim.Endpoint.GetLeftPart(UriPartial.Authority);
        if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.MultipleChoices or HttpStatusCode.NotAcceptable)
        {
            throw VimHttpErrors.WrongApi($"No Multicloud image API at {where}: GET images answered {VimHttpErrors.StatusOf(response)}.");
        }

        await EnsureSuccessAsync(response, "list its images", cancellationToken);
        if (!await VimAnswers.ListsAsync(response, "images", cancellationToken))
        {
            throw VimHttpErrors.WrongApi($"No Multicloud image API at {where}: GET images answered {VimHttpErrors.StatusOf(response)} without a list of images.");
        }
    }

    /// <summary>
    /// Name and version together: Multicloud finds images by name (its own create call answers an existing image of the
    /// same name), so the name must not be shared by two versions.
    /// </summary>
    public static string ImageName(DistributableImage image) => $"{image.Name}-{image.Version}";

    async Task<List<JsonObject>> ListByNameAsync(VimConnection vim, string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(vim, new HttpRequestMessage(HttpMethod.Get, ImagesUri(vim, $"?name={Uri.EscapeDataString(name)}")), cancellationToken);
        await EnsureSuccessAsync(response, "list its images", cancellationToken);
        var images = (await ReadJsonAsync(response, cancellationToken))?["images"] as JsonArray ?? [];
        return images.OfType<JsonObject>().Where(i => Text(i, "name") == name).ToList();
    }

    /// <summary>The bytes, streamed from the blob store as one multipart part; answers the id Multicloud gave the image.</summary>
    static async Task<string> UploadFileAsync(VimConnection vim, string name, VimUpload upload, CancellationToken cancellationToken)
    {
        var image = upload.Image;
        var diskFormat = image.DiskFormat ?? "raw";
        await using var content = upload.OpenContent();
        using var file = new StreamContent(content, 1024 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        file.Headers.ContentLength = image.SizeBytes;
        var properties = new JsonArray(
            Property("image_manager_image_id", image.Id.ToString()),
            Property("image_manager_version", image.Version),
            Property("image_manager_sha512", image.Sha512));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent(diskFormat), "imageType" },
            { new StringContent(image.ContainerFormat ?? "bare"), "containerFormat" },
            // The image serves the tenant it is placed in; sharing it wider is the site's decision.
            { new StringContent("private"), "visibility" },
            { new StringContent(properties.ToJsonString()), "properties" },
            { file, "file", $"{name}.{diskFormat}" },
        };

        using var response = await SendAsync(vim, new HttpRequestMessage(HttpMethod.Post, ImagesUri(vim, "/file")) { Content = form }, cancellationToken);
        await EnsureSuccessAsync(response, "upload the image file", cancellationToken);
        var body = await ReadJsonAsync(response, cancellationToken);

        // The VIO plugin wraps the new image as {"status": {...}}; others answer the image itself.
        var created = body?["status"] as JsonObject ?? body;
        return created?["id"]?.GetValue<string>()
            ?? throw new VimTransientException($"Multicloud accepted the file of '{name}' but named no image id in its answer.");
    }

    static JsonObject Property(string keyName, string value) => new() { ["keyName"] = keyName, ["value"] = value };

    /// <summary>Multicloud answers the upload before the cloud behind it has the bytes: wait until the image is active.</summary>
    static async Task<JsonObject> WaitUntilSavedAsync(VimConnection vim, string id, CancellationToken cancellationToken)
    {
        var wait = FirstPoll;
        while (true)
        {
            var stored = await GetImageAsync(vim, id, cancellationToken)
                ?? throw new VimTransientException($"Multicloud image {id} vanished after upload.");
            var status = Status(stored);
            if (status == "active")
            {
                return stored;
            }

            if (!InProgress.Contains(status))
            {
                throw new VimRejectedException($"Multicloud image {id} is '{status}' after upload, not 'active'.");
            }

            // Bounded by the caller's token (the upload timeout).
            await Task.Delay(wait, cancellationToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestPoll.Ticks));
        }
    }

    /// <summary>
    /// What is wrong with the stored image's bytes as far as Multicloud shows them, or null: the size always, and the
    /// VIM's SHA-512 when the plugin passes Glance's <c>os_hash_value</c> through.
    /// </summary>
    static string? Mismatch(JsonObject stored, DistributableImage image)
    {
        var id = Text(stored, "id");
        var size = Size(stored);
        if (size != image.SizeBytes)
        {
            return $"Multicloud image {id} holds {size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of"} bytes, not the image's {image.SizeBytes}.";
        }

        var value = Text(stored, "os_hash_value");
        if (value is not null && string.Equals(Text(stored, "os_hash_algo"), "sha512", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(value, image.Sha512, StringComparison.OrdinalIgnoreCase))
        {
            return $"Multicloud image {id} has os_hash_value {value}, not the image's sha512 {image.Sha512}.";
        }

        return null;
    }

    static async Task<JsonObject?> GetImageAsync(VimConnection vim, string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(vim, new HttpRequestMessage(HttpMethod.Get, ImagesUri(vim, "/" + Uri.EscapeDataString(id))), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "show the image", cancellationToken);
        return await ReadJsonAsync(response, cancellationToken) ?? throw new VimTransientException($"Multicloud answered with an empty document for image {id}.");
    }

    static Uri ImagesUri(VimConnection vim, string rest)
    {
        var tenant = vim.Vim.Tenant
            ?? throw new VimRejectedException($"VIM '{vim.Vim.Id}' has no tenant; Multicloud places images in a tenant.");
        return new Uri(vim.Vim.Endpoint, $"{Uri.EscapeDataString(vim.Vim.Id)}/{Uri.EscapeDataString(tenant)}/images{rest}");
    }

    static string Status(JsonObject image) => Text(image, "status") ?? "unknown";

    static string Id(JsonObject image) => Text(image, "id") ?? throw new VimTransientException("Multicloud listed an image without an id.");

    static string? Text(JsonObject image, string name) => image[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>VIO shows the size as a number, the swagger describes a string: either.</summary>
    static long? Size(JsonObject image) => image["size"] switch
    {
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new VimTransientException($"Multicloud answered {(int)response.StatusCode} with a body that is not a JSON object: {exception.Message}", exception);
        }
    }

    static async Task<HttpResponseMessage> SendAsync(VimConnection vim, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (vim.Credentials is { Username: { } username, Password: { } password })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        try
        {
            return await VimHttpErrors.SendAsync(vim.Http, request, "Multicloud", cancellationToken);
        }
        finally
        {
            request.Dispose();
        }
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // Multicloud answers errors as {"error": "..."}.
        var (said, _) = await VimHttpErrors.ReadSaidAsync(response, json => VimHttpErrors.TextOf(json["error"]), cancellationToken);
        throw VimHttpErrors.Refusal(response.StatusCode,
            $"Multicloud refused to {action}: {VimHttpErrors.StatusOf(response)}{(said is null ? "" : $": {said}")}");
    }
}

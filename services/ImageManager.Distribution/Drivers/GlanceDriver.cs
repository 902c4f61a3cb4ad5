using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// OpenStack Glance v2: create the image record with our id, give it the bytes, then read back
/// <c>os_hash_algo</c>/<c>os_hash_value</c> and compare with our SHA-512. The bytes go by <c>PUT file</c> (upload mode
/// <c>push</c>) or Glance pulls them from our download URL (<c>web-download</c> import, polled until it ends).
/// Keystone v3, when the VIM has an identity URL, and where requests go: <see cref="GlanceClient"/>.
/// </summary>
public sealed class GlanceDriver(KeystoneTokenCache keystone) : IVimDriver
{
    /// <summary>Longest wait for one web-download import (the caller's deadline usually ends it sooner).</summary>
    static readonly TimeSpan ImportWaitLimit = TimeSpan.FromHours(12);

    static readonly TimeSpan ImportPollFirst = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan ImportPollMost = TimeSpan.FromSeconds(5);

    public string VimType => "openstack";

    /// <summary>Glance serves disks to Nova: VM images only; a container image or package would become a disk that cannot boot.</summary>
    public bool Takes(string kind, string? detectedType) => kind == ImageKinds.VmImage;

    public string Holds => "VM images";

    public async Task<VimUploadResult> EnsurePresentAsync(VimUpload upload, CancellationToken cancellationToken)
    {
        var glance = new GlanceClient(upload.Connection, keystone);
        var pulls = upload.Connection.Vim.UploadMode == VimUploadModes.WebDownload;
        if (pulls && upload.DownloadUrl is null)
        {
            throw new VimRejectedException(
                $"VIM '{upload.Connection.Vim.Id}' takes images by web-download, but this Image Manager has no download URL for it to pull from: set Distribution:ImageDownloadBaseUrl to the Api's URL as the VIMs reach it.");
        }

        // Four calls when all goes well (list by hash, create, bytes, read back): at ten thousand VIMs 200 ms away, every
        // call saved is a minute of someone's rollout.
        var imagePath = $"v2/images/{upload.VimImageId}";
        var same = await FindSameBytesAsync(glance, upload, cancellationToken);
        if (!same.Contains(upload.VimImageId) && same.Count > 0 && await upload.Copies.ChooseExistingAsync(same, cancellationToken) is { } found)
        {
            return new VimUploadResult(found, 0, AlreadyPresent: true);
        }

        // Recorded before Glance is asked to create it, so that no copy of ours is ever on the VIM unrecorded. Ours is among
        // the same bytes when an earlier attempt finished the upload but not its report: verify it, don't skip it.
        await upload.Copies.ClaimAsync(upload.VimImageId, cancellationToken);
        var existing = same.Contains(upload.VimImageId)
            ? new JsonObject { ["status"] = "active" }
            : await CreateAsync(glance, upload, cancellationToken)
                ?? await GetImageAsync(glance, imagePath, cancellationToken)
                ?? throw new VimTransientException($"Glance created image {upload.VimImageId} but does not show it yet.");

        var status = existing["status"]?.GetValue<string>();
        long bytesSent = 0;
        switch (status)
        {
            case "queued" when pulls:
                await ImportAsync(glance, upload, cancellationToken);
                bytesSent = upload.Image.SizeBytes; // pulled by the VIM, from us, in this attempt
                break;
            case "importing" when pulls:
                await WaitForImportAsync(glance, upload, null, cancellationToken); // an earlier attempt's import still runs
                break;
            case "queued":
                bytesSent = await PutFileAsync(glance, imagePath, upload, cancellationToken);
                break;
            case "active":
                break; // an earlier attempt finished the upload: only the hash is left to check
            case "saving" or "importing" or "uploading":
                throw new VimTransientException($"Glance image {upload.VimImageId} is still '{status}' from an earlier attempt.");
            default:
                throw new VimRejectedException($"Glance image {upload.VimImageId} is '{status}'.");
        }

        await upload.OnVerifying();
        var stored = await GetImageAsync(glance, imagePath, cancellationToken)
            ?? throw new VimTransientException($"Glance image {upload.VimImageId} vanished after upload.");
        Verify(stored, upload);
        return new VimUploadResult(upload.VimImageId, bytesSent);
    }

    /// <summary>
    /// An active image the VIM already holds with our SHA-512 (Glance filters its list on <c>os_hash_value</c>):
    /// ensure-present needs no bytes then. Only an active image counts, and only a sha512 hash.
    /// </summary>
    static async Task<List<string>> FindSameBytesAsync(GlanceClient glance, VimUpload upload, CancellationToken cancellationToken)
    {
        using var response = await glance.SendAsync(HttpMethod.Get, $"v2/images?os_hash_value={upload.Image.Sha512}&status=active", cancellationToken);
        await GlanceClient.EnsureSuccessAsync(response, "list its images", cancellationToken);
        var images = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["images"]?.AsArray() ?? [];
        return images
            .Where(image => image?["os_hash_algo"]?.GetValue<string>() == "sha512"
                && string.Equals(image["os_hash_value"]?.GetValue<string>(), upload.Image.Sha512, StringComparison.OrdinalIgnoreCase)
                && image["status"]?.GetValue<string>() == "active")
            .Select(image => image!["id"]!.GetValue<string>())
            .ToList();
    }

    public async Task RemoveAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken)
    {
        using var response = await new GlanceClient(vim, keystone).SendAsync(HttpMethod.Delete, $"v2/images/{vimImageId}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await GlanceClient.EnsureSuccessAsync(response, "delete the image", cancellationToken);
        }
    }

    public string? CannotDeactivate => null;

    public Task<bool> DeactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) =>
        new GlanceClient(vim, keystone).ImageActionAsync(vimImageId, "deactivate", cancellationToken);

    public Task<bool> ReactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) =>
        new GlanceClient(vim, keystone).ImageActionAsync(vimImageId, "reactivate", cancellationToken);

    public async Task<VimImagePresence> CheckPresentAsync(VimConnection vim, string vimImageId, DistributableImage image, CancellationToken cancellationToken)
    {
        var stored = await GetImageAsync(new GlanceClient(vim, keystone), $"v2/images/{vimImageId}", cancellationToken);
        if (stored is null)
        {
            return VimImagePresence.Drifted($"Glance has no image {vimImageId}.");
        }

        var status = stored["status"]?.GetValue<string>();
        var value = stored["os_hash_value"]?.GetValue<string>();
        return status != "active" ? VimImagePresence.Drifted($"Glance image {vimImageId} is '{status}', not 'active'.")
            : !string.Equals(value, image.Sha512, StringComparison.OrdinalIgnoreCase) ? VimImagePresence.Drifted($"Glance image {vimImageId} has os_hash_value {value}, not the image's sha512 {image.Sha512}.")
            : VimImagePresence.Present;
    }

    /// <summary>Lists one image: Glance answers it with its <c>images</c> list, anything else at that address is not Glance.</summary>
    public async Task ProbeAsync(VimConnection vim, CancellationToken cancellationToken)
    {
        using var response = await new GlanceClient(vim, keystone).SendAsync(HttpMethod.Get, "v2/images?limit=1", cancellationToken);
        var where = response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority) ?? vim.Vim.Endpoint.GetLeftPart(UriPartial.Authority);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.MultipleChoices or HttpStatusCode.NotAcceptable)
        {
            throw VimHttpErrors.WrongApi($"No Glance image API at {where}: GET v2/images answered {VimHttpErrors.StatusOf(response)}.");
        }

        await GlanceClient.EnsureSuccessAsync(response, "list its images", cancellationToken);
        if (!await VimAnswers.ListsAsync(response, "images", cancellationToken))
        {
            throw VimHttpErrors.WrongApi($"No Glance image API at {where}: GET v2/images answered {VimHttpErrors.StatusOf(response)} without Glance's list of images.");
        }
    }

    /// <summary>The new image as Glance answers it; null when an earlier attempt created it already (409), to be read instead.</summary>
    static async Task<JsonObject?> CreateAsync(GlanceClient glance, VimUpload upload, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["id"] = upload.VimImageId,
            ["name"] = upload.Image.Name,
            ["disk_format"] = upload.Image.DiskFormat ?? "raw",
            ["container_format"] = upload.Image.ContainerFormat ?? "bare",
            ["image_manager_image_id"] = upload.Image.Id.ToString(),
            ["image_manager_version"] = upload.Image.Version,
        };
        using var response = await glance.SendAsync(HttpMethod.Post, "v2/images", cancellationToken, () => JsonContent.Create(body));

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        await GlanceClient.EnsureSuccessAsync(response, "create the image", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
    }

    static async Task<long> PutFileAsync(GlanceClient glance, string imagePath, VimUpload upload, CancellationToken cancellationToken)
    {
        using var response = await glance.SendAsync(HttpMethod.Put, imagePath + "/file", cancellationToken, () =>
        {
            // A fresh stream per try: a retry after Glance refused a stale token starts from the first byte again.
            // A 1 MiB buffer for big images; a small image needs no more than its size (hundreds of uploads run at once).
            var content = new StreamContent(upload.OpenContent(), (int)Math.Clamp(upload.Image.SizeBytes, 81_920, 1024 * 1024));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = upload.Image.SizeBytes;
            return content;
        });
        try
        {
            await GlanceClient.EnsureSuccessAsync(response, "upload the image data", cancellationToken);
        }
        catch (VimRejectedException exception) when (response.StatusCode == HttpStatusCode.Conflict)
        {
            // Glance takes an image's data once; 409 means the image is no longer 'queued' because another delivery of this
            // same upload (the broker or the scheduler can hand a message out twice) is sending the bytes or has sent them.
            // Not this target's failure: the next attempt finds the image active, or still saving.
            throw new VimTransientException(exception.Message, exception);
        }

        return upload.Image.SizeBytes;
    }

    /// <summary>
    /// Glance's interoperable import, method <c>web-download</c>: Glance fetches <see cref="VimUpload.DownloadUrl"/> into
    /// its staging store, then into its store, hashing as it goes. A URL Glance's import filtering refuses is answered at
    /// once (400: rejected); how the download went is seen afterwards, on the image and on the import's task.
    /// </summary>
    static async Task ImportAsync(GlanceClient glance, VimUpload upload, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["method"] = new JsonObject { ["name"] = "web-download", ["uri"] = upload.DownloadUrl!.AbsoluteUri },
        };
        string? requestId;
        using (var response = await glance.SendAsync(HttpMethod.Post, $"v2/images/{upload.VimImageId}/import", cancellationToken, () => JsonContent.Create(body)))
        {
            await GlanceClient.EnsureSuccessAsync(response, $"import image {upload.VimImageId} by web-download from {LinkShown(upload)}", cancellationToken);
            requestId = response.Headers.TryGetValues("X-Openstack-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        }

        await WaitForImportAsync(glance, upload, requestId, cancellationToken);
    }

    /// <summary>
    /// Polls the image until the import ends: <c>active</c>, or failed. A failed import leaves the image <c>queued</c>
    /// with the store in <c>os_glance_failed_import</c>; but Glance may answer the import request before its task marks
    /// the image as importing, so a failure left by an earlier attempt looks the same for a moment: only the import's
    /// own task (found by the request id Glance answered with; the newest one when resuming an earlier attempt's import)
    /// says it failed. Bounded by the caller's token and by <see cref="ImportWaitLimit"/>.
    /// </summary>
    static async Task WaitForImportAsync(GlanceClient glance, VimUpload upload, string? requestId, CancellationToken cancellationToken)
    {
        var imagePath = $"v2/images/{upload.VimImageId}";
        var wait = ImportPollFirst;
        var started = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - started < ImportWaitLimit)
        {
            var image = await GetImageAsync(glance, imagePath, cancellationToken)
                ?? throw new VimTransientException($"Glance image {upload.VimImageId} vanished while importing.");
            var status = image["status"]?.GetValue<string>();
            var failed = image["os_glance_failed_import"]?.GetValue<string>();
            switch (status)
            {
                case "active":
                    return;
                case "queued" when string.IsNullOrEmpty(image["os_glance_importing_to_stores"]?.GetValue<string>()) && !string.IsNullOrEmpty(failed):
                    var task = await ImportTaskAsync(glance, upload.VimImageId, requestId, cancellationToken);
                    if (task is null || task["status"]?.GetValue<string>() == "failure")
                    {
                        // Glance could not fetch or store the bytes; the image waits, queued, for the next attempt's import.
                        var said = task?["message"]?.GetValue<string>();
                        throw new VimTransientException(
                            $"Glance could not import image {upload.VimImageId} by web-download from {LinkShown(upload)} (os_glance_failed_import: {failed}){(string.IsNullOrWhiteSpace(said) ? "" : $": {said}")}");
                    }

                    break; // our import has not started yet: the failure is an earlier one's
                case "queued" or "importing" or "uploading" or "saving":
                    break;
                default:
                    throw new VimRejectedException($"Glance image {upload.VimImageId} became '{status}' while importing.");
            }

            await Task.Delay(wait, cancellationToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, ImportPollMost.Ticks));
        }

        throw new VimTransientException($"Glance was still importing image {upload.VimImageId} after {ImportWaitLimit}.");
    }

    /// <summary>
    /// The import task of the image made by <paramref name="requestId"/>, or its newest one when that is unknown; null
    /// when Glance lists none (the image's task list came with Glance 2.12).
    /// </summary>
    static async Task<JsonObject?> ImportTaskAsync(GlanceClient glance, string vimImageId, string? requestId, CancellationToken cancellationToken)
    {
        using var response = await glance.SendAsync(HttpMethod.Get, $"v2/images/{vimImageId}/tasks", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var tasks = ((await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["tasks"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return requestId is not null
            ? tasks.FirstOrDefault(task => task["request_id"]?.GetValue<string>() == requestId)
            : tasks.OrderByDescending(task => task["created_at"]?.GetValue<string>(), StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>
    /// The download link as errors say it: without its query, whose signature opens the image to anyone for hours. What
    /// Glance quotes of it is made safe with the rest of its words (<see cref="ImageManager.ServiceDefaults.Sanitising.OutsideText"/>
    /// keeps query parameters' names only).
    /// </summary>
    static string LinkShown(VimUpload upload) => upload.DownloadUrl!.GetLeftPart(UriPartial.Path);

    static void Verify(JsonObject stored, VimUpload upload)
    {
        var status = stored["status"]?.GetValue<string>();
        var algorithm = stored["os_hash_algo"]?.GetValue<string>();
        var value = stored["os_hash_value"]?.GetValue<string>();
        if (status != "active")
        {
            throw new VimTransientException($"Glance image {upload.VimImageId} is '{status}' after upload, not 'active'.");
        }

        if (!string.Equals(algorithm, "sha512", StringComparison.OrdinalIgnoreCase))
        {
            throw new VimRejectedException($"Glance hashes with '{algorithm}', not sha512: the upload cannot be verified.");
        }

        if (!string.Equals(value, upload.Image.Sha512, StringComparison.OrdinalIgnoreCase))
        {
            throw new VimRejectedException($"Glance's os_hash_value {value} differs from the image's sha512 {upload.Image.Sha512}.");
        }
    }

    static async Task<JsonObject?> GetImageAsync(GlanceClient glance, string imagePath, CancellationToken cancellationToken)
    {
        using var response = await glance.SendAsync(HttpMethod.Get, imagePath, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await GlanceClient.EnsureSuccessAsync(response, "read the image", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
            ?? throw new VimTransientException("Glance answered with an empty image document.");
    }
}

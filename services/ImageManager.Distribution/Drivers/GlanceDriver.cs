using System.Net;
using ImageManager.Distribution.Persistence;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// OpenStack Glance v2: create the image record with our id, <c>PUT</c> the bytes, then read back
/// <c>os_hash_algo</c>/<c>os_hash_value</c> and compare with our SHA-512. This slice speaks to Glance without
/// Keystone (the local VIMs run with an empty paste flavor); Keystone v3 comes with the VIM credentials.
/// </summary>
public sealed class GlanceDriver : IVimDriver
{
    public string VimType => "openstack";

    public async Task<VimUploadResult> EnsurePresentAsync(VimUpload upload, CancellationToken cancellationToken)
    {
        var http = upload.Connection.Http;
        var imageUri = new Uri(upload.Connection.Vim.Endpoint, $"v2/images/{upload.VimImageId}");

        var existing = await GetImageAsync(http, imageUri, cancellationToken);
        if (existing is null && await FindSameBytesAsync(http, upload, cancellationToken) is { } same)
        {
            return new VimUploadResult(same, 0, AlreadyPresent: true);
        }

        if (existing is null)
        {
            await CreateAsync(http, upload, cancellationToken);
            existing = await GetImageAsync(http, imageUri, cancellationToken)
                ?? throw new VimTransientException($"Glance created image {upload.VimImageId} but does not show it yet.");
        }

        var status = existing["status"]?.GetValue<string>();
        long bytesSent = 0;
        switch (status)
        {
            case "queued":
                bytesSent = await PutFileAsync(http, imageUri, upload, cancellationToken);
                break;
            case "active":
                break; // an earlier attempt finished the upload: only the hash is left to check
            case "saving" or "importing" or "uploading":
                throw new VimTransientException($"Glance image {upload.VimImageId} is still '{status}' from an earlier attempt.");
            default:
                throw new VimRejectedException($"Glance image {upload.VimImageId} is '{status}'.");
        }

        await upload.OnVerifying();
        var stored = await GetImageAsync(http, imageUri, cancellationToken)
            ?? throw new VimTransientException($"Glance image {upload.VimImageId} vanished after upload.");
        Verify(stored, upload);
        return new VimUploadResult(upload.VimImageId, bytesSent);
    }

    /// <summary>
    /// An active image the VIM already holds with our SHA-512 (Glance filters its list on <c>os_hash_value</c>):
    /// ensure-present needs no bytes then. Only an active image counts, and only a sha512 hash.
    /// </summary>
    static async Task<string?> FindSameBytesAsync(HttpClient http, VimUpload upload, CancellationToken cancellationToken)
    {
        var listUri = new Uri(upload.Connection.Vim.Endpoint, $"v2/images?os_hash_value={upload.Image.Sha512}&status=active");
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, listUri), cancellationToken);
        await EnsureSuccessAsync(response, "list its images", cancellationToken);
        var images = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["images"]?.AsArray() ?? [];
        return images
            .Where(image => image?["os_hash_algo"]?.GetValue<string>() == "sha512"
                && string.Equals(image["os_hash_value"]?.GetValue<string>(), upload.Image.Sha512, StringComparison.OrdinalIgnoreCase)
                && image["status"]?.GetValue<string>() == "active")
            .Select(image => image!["id"]!.GetValue<string>())
            .FirstOrDefault();
    }

    public async Task RemoveAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(vim.Http, new HttpRequestMessage(HttpMethod.Delete, new Uri(vim.Vim.Endpoint, $"v2/images/{vimImageId}")), cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, "delete the image", cancellationToken);
        }
    }

    public async Task<VimImagePresence> CheckPresentAsync(VimConnection vim, string vimImageId, DistributableImage image, CancellationToken cancellationToken)
    {
        var stored = await GetImageAsync(vim.Http, new Uri(vim.Vim.Endpoint, $"v2/images/{vimImageId}"), cancellationToken);
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

    public async Task ProbeAsync(VimConnection vim, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(vim.Http, new HttpRequestMessage(HttpMethod.Get, new Uri(vim.Vim.Endpoint, "v2/images?limit=1")), cancellationToken);
        await EnsureSuccessAsync(response, "list its images", cancellationToken);
    }

    static async Task CreateAsync(HttpClient http, VimUpload upload, CancellationToken cancellationToken)
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
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, new Uri(upload.Connection.Vim.Endpoint, "v2/images"))
        {
            Content = JsonContent.Create(body),
        }, cancellationToken);

        // 409: an earlier attempt created it between our GET and POST; the caller reads it again.
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, "create the image", cancellationToken);
        }
    }

    static async Task<long> PutFileAsync(HttpClient http, Uri imageUri, VimUpload upload, CancellationToken cancellationToken)
    {
        await using var content = upload.OpenContent();
        // A 1 MiB buffer for big images; a small image needs no more than its size (hundreds of uploads run at once).
        using var streamContent = new StreamContent(content, (int)Math.Clamp(upload.Image.SizeBytes, 81_920, 1024 * 1024));
        streamContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        streamContent.Headers.ContentLength = upload.Image.SizeBytes;
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Put, new Uri(imageUri + "/file"))
        {
            Content = streamContent,
        }, cancellationToken);
        await EnsureSuccessAsync(response, "upload the image data", cancellationToken);
        return upload.Image.SizeBytes;
    }

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

    static async Task<JsonObject?> GetImageAsync(HttpClient http, Uri imageUri, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, imageUri), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "read the image", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
            ?? throw new VimTransientException("Glance answered with an empty image document.");
    }

    static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new VimTransientException($"Glance at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} is unreachable: {exception.Message}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VimTransientException($"Glance at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not answer in time.", exception);
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

        var said = await ReadErrorAsync(response, cancellationToken);
        var message = $"Glance refused to {action}: {(int)response.StatusCode} {response.ReasonPhrase}{(said is null ? "" : $": {said}")}";
        var code = (int)response.StatusCode;
        if (code >= 500 || code is 408 or 429)
        {
            throw new VimTransientException(message);
        }

        throw new VimRejectedException(message);
    }

    static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        try
        {
            // Glance wraps errors as {"code":..,"title":..,"message":..} or as HTML; keep what a person can read.
            if (JsonNode.Parse(text) is JsonObject json && json["message"]?.GetValue<string>() is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
        }

        return text.Length > 500 ? text[..500] : text;
    }
}

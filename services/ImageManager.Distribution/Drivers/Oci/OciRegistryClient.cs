using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Vims;
using ImageManager.Oci;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// The OCI distribution API calls the driver makes, on one VIM, with its authentication: none; basic
/// (<c>Username</c>/<c>Password</c>, sent with every request); a ready bearer <c>Token</c>; or, when the registry answers
/// 401 with a <c>Bearer</c> challenge, a token from the challenge's realm (with the basic credentials, if any) cached per
/// VIM and scope until it expires, and the request tried once more. Errors come out as the driver contract wants them,
/// quoting the registry's error codes and never a credential.
/// </summary>
public sealed class OciRegistryClient(VimConnection connection, OciTokenCache tokens)
{
    Vim Vim => connection.Vim;

    /// <summary>Tokens belong to a VIM at an endpoint: a VIM id registered again elsewhere starts afresh.</summary>
    string VimKey => $"{Vim.Id}\n{Vim.Endpoint}";

    string Authority => Vim.Endpoint.GetLeftPart(UriPartial.Authority);

    public static string PullScope(string repository) => $"repository:{repository}:pull";

    public static string PushScope(string repository) => $"repository:{repository}:pull,push";

    public static string DeleteScope(string repository) => $"repository:{repository}:delete";

    /// <summary>
    /// <c>GET /v2/</c>: the registry answers and accepts our credentials. A registry says what it is in
    /// <c>Docker-Distribution-Api-Version</c> (or answers a JSON object); anything else at that address is not one.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Api("")), null, replayable: true, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.MultipleChoices or HttpStatusCode.NotAcceptable)
        {
            throw VimHttpErrors.WrongApi($"No registry API at {Authority}: GET /v2/ answered {VimHttpErrors.StatusOf(response)}.");
        }

        await EnsureSuccessAsync(response, "answer the API version check (GET /v2/)", cancellationToken);
        if (!response.Headers.Contains("Docker-Distribution-Api-Version") && !await VimAnswers.IsJsonObjectAsync(response, cancellationToken))
        {
            throw VimHttpErrors.WrongApi($"No registry API at {Authority}: GET /v2/ answered {VimHttpErrors.StatusOf(response)} without Docker-Distribution-Api-Version or a JSON object.");
        }
    }

    /// <summary>The digest the registry serves for a tag or digest (<c>HEAD</c> of the manifest), or null when it has none.</summary>
    public async Task<string?> ManifestDigestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => WithManifestAccept(new HttpRequestMessage(HttpMethod.Head, Api($"{repository}/manifests/{reference}"))),
            PullScope(repository), replayable: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"show manifest {repository}:{reference}", cancellationToken);
        return ContentDigest(response) ?? await ManifestContentDigestAsync(repository, reference, cancellationToken);
    }

    /// <summary>For a registry whose <c>HEAD</c> leaves out Docker-Content-Digest: the digest of the bytes a <c>GET</c> serves.</summary>
    async Task<string?> ManifestContentDigestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => WithManifestAccept(new HttpRequestMessage(HttpMethod.Get, Api($"{repository}/manifests/{reference}"))),
            PullScope(repository), replayable: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"read manifest {repository}:{reference}", cancellationToken);
        return Sha256Digest.Compute(await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    /// <summary>Puts a manifest under a tag or its digest; returns the digest the registry computed.</summary>
    public async Task<string> PutManifestAsync(string repository, string reference, OciManifestDocument manifest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(manifest.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return new HttpRequestMessage(HttpMethod.Put, Api($"{repository}/manifests/{reference}")) { Content = content };
        }, PushScope(repository), replayable: true, cancellationToken);
        await EnsureSuccessAsync(response, $"store manifest {repository}:{reference}", cancellationToken);
        return ContentDigest(response) ?? manifest.Digest;
    }

    /// <summary>Deletes a manifest by digest; false when the registry did not have it.</summary>
    public async Task<bool> DeleteManifestAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Api($"{repository}/manifests/{digest}")),
            DeleteScope(repository), replayable: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            throw new VimRejectedException($"The registry does not allow deleting manifests (405 Method Not Allowed): {repository}@{digest} stays. Its operator enables deletes (storage.delete.enabled).");
        }

        await EnsureSuccessAsync(response, $"delete manifest {repository}@{digest}", cancellationToken);
        return true;
    }

    /// <summary>Whether the repository has the blob (<c>HEAD</c>).</summary>
    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, Api($"{repository}/blobs/{digest}")),
            PullScope(repository), replayable: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, $"show blob {digest} of {repository}", cancellationToken);
        return true;
    }

    /// <summary>
    /// Starts an upload to the repository; with <paramref name="mountFrom"/>, asks the registry to link the blob from that
    /// repository instead. Null when the mount succeeded, otherwise the upload session's URL (a refused mount starts one).
    /// </summary>
    public async Task<Uri?> StartUploadAsync(string repository, string? digest, string? mountFrom, CancellationToken cancellationToken)
    {
        var query = mountFrom is null ? "" : $"?mount={Uri.EscapeDataString(digest!)}&from={Uri.EscapeDataString(mountFrom)}";
        var scope = mountFrom is null ? PushScope(repository) : $"{PushScope(repository)} {PullScope(mountFrom)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Api($"{repository}/blobs/uploads/{query}")), scope, replayable: true, cancellationToken);
        if (mountFrom is not null && response.StatusCode == HttpStatusCode.Created)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"start a blob upload to {repository}", cancellationToken);
        return SessionLocation(response);
    }

    /// <summary>The whole blob in one <c>PUT ?digest=</c>, streamed from <paramref name="data"/>.</summary>
    public async Task UploadMonolithicAsync(Uri session, string repository, OciBlob blob, Stream data, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var content = new StreamContent(new ForwardSliceStream(data, blob.Size), 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = blob.Size;
            return new HttpRequestMessage(HttpMethod.Put, WithDigest(session, blob.Digest)) { Content = content };
        }, PushScope(repository), replayable: false, cancellationToken);
        await EnsureSuccessAsync(response, $"store blob {blob.Digest} in {repository}", cancellationToken);
    }

    /// <summary>
    /// The blob in chunks of <paramref name="chunkSize"/>: one <c>PATCH</c> per chunk with its <c>Content-Range</c>, each
    /// streamed from <paramref name="data"/>, then <c>PUT ?digest=</c> to close the upload.
    /// </summary>
    public async Task UploadChunkedAsync(Uri session, string repository, OciBlob blob, Stream data, long chunkSize, CancellationToken cancellationToken)
    {
        for (long offset = 0; offset < blob.Size;)
        {
            var length = Math.Min(chunkSize, blob.Size - offset);
            var (start, end) = (offset, offset + length - 1);
            using var response = await SendAsync(() =>
            {
                var content = new StreamContent(new ForwardSliceStream(data, length), (int)Math.Min(length, 1 << 20));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentLength = length;
                content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{end}");
                return new HttpRequestMessage(HttpMethod.Patch, session) { Content = content };
            }, PushScope(repository), replayable: false, cancellationToken);
            await EnsureSuccessAsync(response, $"take bytes {start}-{end} of blob {blob.Digest} in {repository}", cancellationToken);
            if (response.Headers.TryGetValues("Range", out var ranges) && ranges.FirstOrDefault() is { } range && range.Replace("bytes=", "", StringComparison.Ordinal) != $"0-{end}")
            {
                throw new VimTransientException($"The registry holds bytes {range} of blob {blob.Digest} after receiving 0-{end}.");
            }

            session = SessionLocation(response);
            offset += length;
        }

        using var closed = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, WithDigest(session, blob.Digest)) { Content = new ByteArrayContent([]) },
            PushScope(repository), replayable: true, cancellationToken);
        await EnsureSuccessAsync(closed, $"complete blob {blob.Digest} in {repository}", cancellationToken);
    }

    Uri Api(string path) => new(Vim.Endpoint, $"v2/{path}");

    static HttpRequestMessage WithManifestAccept(HttpRequestMessage request)
    {
        foreach (var mediaType in OciMediaTypes.Manifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        return request;
    }

    static Uri WithDigest(Uri session, string digest) =>
        new($"{session}{(string.IsNullOrEmpty(session.Query) ? "?" : "&")}digest={Uri.EscapeDataString(digest)}");

    static string? ContentDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;

    Uri SessionLocation(HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(response.RequestMessage?.RequestUri ?? Vim.Endpoint, location)
            : throw new VimRejectedException($"The registry at {Authority} answered an upload without a Location header.");

    /// <summary>
    /// Sends with the VIM's authentication. <paramref name="replayable"/> is false for requests streaming a blob: they
    /// cannot be sent twice, so they go with a token fetched beforehand when the VIM is known to want one.
    /// </summary>
    async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string? scope, bool replayable, CancellationToken cancellationToken)
    {
        var request = build();
        await AuthorizeAsync(request, scope, cancellationToken);
        var response = await SendOnceAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || connection.Credentials?.Token is not null || BearerChallenge.From(response) is not { } challenge)
        {
            return response;
        }

        response.Dispose();
        tokens.RememberRealm(VimKey, challenge);
        var token = await FetchTokenAsync(challenge, challenge.Scope ?? scope, cancellationToken);
        if (!replayable)
        {
            throw new VimTransientException($"The registry at {Authority} asked for a bearer token in the middle of an upload; the next attempt starts with one.");
        }

        var retry = build();
        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await SendOnceAsync(retry, cancellationToken);
    }

    async Task AuthorizeAsync(HttpRequestMessage request, string? scope, CancellationToken cancellationToken)
    {
        var credentials = connection.Credentials;
        if (credentials?.Token is { } given)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", given);
        }
        else if (tokens.RealmOf(VimKey) is { } realm)
        {
            var token = tokens.Find(VimKey, scope ?? "") ?? await FetchTokenAsync(realm, scope, cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (BasicCredentials() is { } basic)
        {
            request.Headers.Authorization = basic;
        }
    }

    AuthenticationHeaderValue? BasicCredentials() =>
        connection.Credentials is { Username: { } username, Password: { } password }
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")))
            : null;

    /// <summary>A token for the scope from the challenge's realm, with the basic credentials when the VIM has them; cached.</summary>
    async Task<string> FetchTokenAsync(BearerChallenge challenge, string? scope, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (challenge.Service is { } service)
        {
            query.Add($"service={Uri.EscapeDataString(service)}");
        }

        query.AddRange((scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => $"scope={Uri.EscapeDataString(s)}"));
        var realm = new UriBuilder(challenge.Realm);
        realm.Query = string.Join('&', new[] { realm.Query.TrimStart('?') }.Concat(query).Where(part => part.Length > 0));
        var where = challenge.Realm.GetLeftPart(UriPartial.Path);
        var request = new HttpRequestMessage(HttpMethod.Get, realm.Uri);
        request.Headers.Authorization = BasicCredentials();
        using var response = await SendOnceAsync(request, cancellationToken, "The registry's token service");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var refused = request.Headers.Authorization is null ? "anonymous access (the VIM has no credentials registered)" : "the VIM's credentials";
            throw new VimRejectedException($"The registry's token service at {where} refused {refused}: {VimHttpErrors.StatusOf(response)}{await SaidAsync(response, cancellationToken)}")
            {
                HealthReason = VimHealthReasons.Authentication,
            };
        }

        await EnsureSuccessAsync(response, $"issue a token (token service {where})", cancellationToken);
        JsonObject? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        }
        catch (JsonException)
        {
            body = null;
        }

        var token = body?["token"]?.GetValue<string>() ?? body?["access_token"]?.GetValue<string>()
            ?? throw new VimRejectedException($"The registry's token service at {where} answered without a token.");
        var lifetime = body?["expires_in"] is JsonValue seconds && seconds.TryGetValue<int>(out var value) && value > 0 ? value : 60;
        tokens.Store(VimKey, scope ?? "", token, TimeSpan.FromSeconds(lifetime));
        return token;
    }

    async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken, string? who = null)
    {
        try
        {
            return await VimHttpErrors.SendAsync(connection.Http, request, who ?? "The registry", cancellationToken);
        }
        finally
        {
            request.Dispose();
        }
    }

    async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = (int)response.StatusCode;
        var message = $"The registry refused to {action}: {VimHttpErrors.StatusOf(response)}{await SaidAsync(response, cancellationToken)}";
        if (code == 401)
        {
            message += connection.Credentials is null ? " (the VIM has no credentials registered)" : " (the VIM's credentials were refused)";
        }

        throw VimHttpErrors.Refusal(response.StatusCode, message);
    }

    /// <summary>What the registry said, made safe, as <c>": CODE: message (detail)"</c> (or <c>": "</c> and its text); empty when it said nothing.</summary>
    static async Task<string> SaidAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await VimHttpErrors.ReadSaidAsync(response, ErrorsOf, cancellationToken)).Said is { } said ? $": {said}" : "";

    /// <summary>The registry's <c>{"errors":[{"code","message","detail"}]}</c> as <c>CODE: message (detail)</c>.</summary>
    static string? ErrorsOf(JsonObject json) =>
        json["errors"] is JsonArray errors
            ? string.Join("; ", errors.OfType<JsonObject>().Select(error =>
                $"{error["code"]}: {error["message"]}{(VimHttpErrors.TextOf(error["detail"]) is { } detail ? $" ({detail})" : "")}"))
            : null;
}

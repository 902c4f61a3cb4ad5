using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageManager.VimSimulator;

/// <summary>
/// The OCI distribution API subset of the simulator, for many virtual registries under <c>/registries/{vim}/</c> (apart
/// from the Glance subset under <c>/vims/</c>): <c>GET /v2/</c>; blob <c>HEAD</c>, uploads (one <c>PUT ?digest=</c>, or
/// <c>PATCH</c> chunks with <c>Content-Range</c> then <c>PUT</c>), cross-repository mounts; manifest
/// <c>PUT</c>/<c>HEAD</c>/<c>GET</c>/<c>DELETE</c> with the checks the real registry makes (digest, referenced blobs and
/// manifests present); errors as <c>{"errors":[{"code","message","detail"}]}</c>; and optional basic or bearer-token auth
/// with a token service at <c>/registries/{vim}/token</c>. Chunks must arrive in order (416 otherwise), as the spec and newer
/// registries require; docker-registry 2.8 ignores <c>Content-Range</c>.
/// </summary>
public sealed partial class SimulatedRegistries(Func<string, SimulatedVimBehaviour> behaviourOf, Func<Uri> address)
{
    const string Service = "simulated-registry";

    static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    readonly ConcurrentDictionary<string, SimulatedRegistry> _registries = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, SimulatedToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>A virtual registry, created on first use.</summary>
    public SimulatedRegistry this[string vim] => _registries.GetOrAdd(vim, _ => new SimulatedRegistry());

    public void Map(WebApplication app)
    {
        app.MapGet("/registries/{vim}/token", IssueToken);
        app.Map("/registries/{vim}/v2/{**path}", HandleAsync);
    }

    async Task HandleAsync(HttpContext http, string vim, string? path)
    {
        http.Response.Headers["Docker-Distribution-Api-Version"] = "registry/2.0";
        var registry = this[vim];
        var method = http.Request.Method;
        path ??= "";
        if (path.Length == 0)
        {
            if (await AuthorizeAsync(http, vim, null, null))
            {
                await http.Response.WriteAsJsonAsync(new JsonObject());
            }

            return;
        }

        var (repository, kind, reference) = Route(path);
        if (repository is null || !RepositoryGrammar().IsMatch(repository))
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, "NAME_UNKNOWN", "repository name not known to registry", path);
            return;
        }

        var action = method is "GET" or "HEAD" ? "pull" : method == "DELETE" ? "delete" : "push";
        if (!await AuthorizeAsync(http, vim, repository, action))
        {
            return;
        }

        switch (kind, method)
        {
            case ("manifests", "PUT"):
                await PutManifestAsync(http, vim, registry, repository, reference!);
                break;
            case ("manifests", "GET" or "HEAD"):
                await GetManifestAsync(http, registry, repository, reference!);
                break;
            case ("manifests", "DELETE"):
                await DeleteManifestAsync(http, registry, repository, reference!);
                break;
            case ("blobs", "GET" or "HEAD"):
                await HeadBlobAsync(http, registry, repository, reference!);
                break;
            case ("uploads", "POST") when reference is null:
                StartUpload(http, vim, registry, repository);
                break;
            case ("uploads", "PATCH") when reference is not null:
                await PatchUploadAsync(http, vim, registry, repository, reference);
                break;
            case ("uploads", "PUT") when reference is not null:
                await CompleteUploadAsync(http, vim, registry, repository, reference);
                break;
            default:
                await ErrorAsync(http, StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", "The operation is unsupported.", $"{method} {path}");
                break;
        }
    }

    /// <summary><c>name/manifests/ref</c>, <c>name/blobs/digest</c>, <c>name/blobs/uploads/[uuid]</c>.</summary>
    static (string? Repository, string? Kind, string? Reference) Route(string path)
    {
        var uploads = path.LastIndexOf("/blobs/uploads", StringComparison.Ordinal);
        if (uploads > 0)
        {
            var rest = path[(uploads + "/blobs/uploads".Length)..].Trim('/');
            return (path[..uploads], "uploads", rest.Length == 0 ? null : rest);
        }

        foreach (var kind in new[] { "manifests", "blobs" })
        {
            var at = path.LastIndexOf($"/{kind}/", StringComparison.Ordinal);
            if (at > 0 && path.Length > at + kind.Length + 2)
            {
                return (path[..at], kind, path[(at + kind.Length + 2)..]);
            }
        }

        return (null, null, null);
    }

    async Task PutManifestAsync(HttpContext http, string vim, SimulatedRegistry registry, string repository, string reference)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var content = buffer.ToArray();
        var digest = Digest(content);
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && reference != digest)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "DIGEST_INVALID", "provided digest did not match uploaded content", reference);
            return;
        }

        JsonObject? document;
        try
        {
            document = JsonNode.Parse(content) as JsonObject;
        }
        catch (JsonException)
        {
            document = null;
        }

        if (mediaType is null || !ManifestTypes.Contains(mediaType) || document is null
            || document["mediaType"] is JsonValue declared && declared.GetValue<string>() != mediaType)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "MANIFEST_INVALID", "manifest invalid", $"media type '{mediaType}'");
            return;
        }

        string? unknown;
        lock (registry.Sync)
        {
            var repo = registry.Repository(repository);
            var isIndex = mediaType.Contains("index", StringComparison.Ordinal) || mediaType.Contains("list", StringComparison.Ordinal);
            var referenced = isIndex
                ? Digests(document["manifests"])
                : Digests(document["config"] is { } config ? new JsonArray(config.DeepClone()) : null).Concat(Digests(document["layers"]));
            unknown = referenced.FirstOrDefault(d => isIndex ? !repo.Manifests.ContainsKey(d) : !repo.Blobs.Contains(d));
            if (unknown is null)
            {
                repo.Manifests[digest] = new SimulatedManifest(digest, mediaType, content);
                if (!reference.StartsWith("sha256:", StringComparison.Ordinal))
                {
                    repo.Tags[reference] = digest;
                }
            }
        }

        if (unknown is not null)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", unknown);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = $"/registries/{vim}/v2/{repository}/manifests/{digest}";
        http.Response.Headers["Docker-Content-Digest"] = digest;
    }

    static IEnumerable<string> Digests(JsonNode? descriptors) =>
        descriptors is JsonArray array ? array.Select(d => d?["digest"]?.GetValue<string>() ?? "") : [];

    static async Task GetManifestAsync(HttpContext http, SimulatedRegistry registry, string repository, string reference)
    {
        if (registry.Manifest(repository, reference) is not { } manifest)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, "MANIFEST_UNKNOWN", "manifest unknown", reference);
            return;
        }

        http.Response.ContentType = manifest.MediaType;
        http.Response.ContentLength = manifest.Content.Length;
        http.Response.Headers["Docker-Content-Digest"] = manifest.Digest;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(manifest.Content, http.RequestAborted);
        }
    }

    static async Task DeleteManifestAsync(HttpContext http, SimulatedRegistry registry, string repository, string reference)
    {
        if (!reference.StartsWith("sha256:", StringComparison.Ordinal))
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "DIGEST_INVALID", "provided digest did not match uploaded content", reference);
            return;
        }

        bool removed;
        lock (registry.Sync)
        {
            removed = registry.Repositories.TryGetValue(repository, out var repo) && repo.Manifests.Remove(reference);
            if (removed)
            {
                foreach (var tag in repo!.Tags.Where(t => t.Value == reference).Select(t => t.Key).ToList())
                {
                    repo.Tags.Remove(tag);
                }
            }
        }

        if (!removed)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, "MANIFEST_UNKNOWN", "manifest unknown", reference);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    static async Task HeadBlobAsync(HttpContext http, SimulatedRegistry registry, string repository, string digest)
    {
        long size;
        lock (registry.Sync)
        {
            size = registry.Repositories.TryGetValue(repository, out var repo) && repo.Blobs.Contains(digest) ? registry.Blobs[digest] : -1;
        }

        if (size < 0)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, "BLOB_UNKNOWN", "blob unknown to registry", digest);
            return;
        }

        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = size;
        http.Response.Headers["Docker-Content-Digest"] = digest;
    }

    void StartUpload(HttpContext http, string vim, SimulatedRegistry registry, string repository)
    {
        var mount = http.Request.Query["mount"].ToString();
        var from = http.Request.Query["from"].ToString();
        if (mount.Length > 0 && from.Length > 0 && MayPull(http, vim, from))
        {
            bool mounted;
            lock (registry.Sync)
            {
                mounted = registry.Repositories.TryGetValue(from, out var source) && source.Blobs.Contains(mount);
                if (mounted)
                {
                    registry.Repository(repository).Blobs.Add(mount);
                }
            }

            if (mounted)
            {
                registry.CountMount();
                http.Response.StatusCode = StatusCodes.Status201Created;
                http.Response.Headers.Location = $"/registries/{vim}/v2/{repository}/blobs/{mount}";
                http.Response.Headers["Docker-Content-Digest"] = mount;
                return;
            }
        }

        var id = Guid.NewGuid().ToString();
        lock (registry.Sync)
        {
            registry.Uploads[id] = new SimulatedBlobUpload(repository);
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.Headers.Location = $"/registries/{vim}/v2/{repository}/blobs/uploads/{id}";
        http.Response.Headers["Docker-Upload-UUID"] = id;
        http.Response.Headers["Range"] = "0-0";
    }

    async Task PatchUploadAsync(HttpContext http, string vim, SimulatedRegistry registry, string repository, string id)
    {
        if (Session(registry, repository, id) is not { } upload)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);
            return;
        }

        if (http.Request.Headers["Content-Range"].ToString() is { Length: > 0 } range
            && (range.Split('-') is not [var start, _] || !long.TryParse(start, out var first) || first != upload.Size))
        {
            http.Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            http.Response.Headers.Location = $"/registries/{vim}/v2/{repository}/blobs/uploads/{id}";
            http.Response.Headers["Range"] = $"0-{upload.Size - 1}";
            return;
        }

        await ReceiveAsync(http, vim, upload);
        registry.CountChunk();
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.Headers.Location = $"/registries/{vim}/v2/{repository}/blobs/uploads/{id}";
        http.Response.Headers["Docker-Upload-UUID"] = id;
        http.Response.Headers["Range"] = $"0-{upload.Size - 1}";
    }

    async Task CompleteUploadAsync(HttpContext http, string vim, SimulatedRegistry registry, string repository, string id)
    {
        if (Session(registry, repository, id) is not { } upload)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", id);
            return;
        }

        await ReceiveAsync(http, vim, upload);
        var expected = http.Request.Query["digest"].ToString();
        var digest = $"sha256:{Convert.ToHexStringLower(upload.Sha256.GetHashAndReset())}";
        lock (registry.Sync)
        {
            registry.Uploads.Remove(id);
            if (digest == expected)
            {
                registry.Blobs[digest] = upload.Size;
                registry.Repository(repository).Blobs.Add(digest);
            }
        }

        upload.Dispose();
        if (digest != expected)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "DIGEST_INVALID", "provided digest did not match uploaded content", expected);
            return;
        }

        registry.CountUpload(upload.Size);
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = $"/registries/{vim}/v2/{repository}/blobs/{digest}";
        http.Response.Headers["Docker-Content-Digest"] = digest;
    }

    static SimulatedBlobUpload? Session(SimulatedRegistry registry, string repository, string id)
    {
        lock (registry.Sync)
        {
            return registry.Uploads.TryGetValue(id, out var upload) && upload.Repository == repository ? upload : null;
        }
    }

    /// <summary>Hashes and counts a request body into the upload, at the VIM's bandwidth cap.</summary>
    async Task ReceiveAsync(HttpContext http, string vim, SimulatedBlobUpload upload)
    {
        var bandwidth = behaviourOf(vim).BandwidthBytesPerSecond;
        var buffer = new byte[81920];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long received = 0;
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            upload.Sha256.AppendData(buffer, 0, read);
            upload.Size += read;
            received += read;
            if (bandwidth is { } limit && TimeSpan.FromSeconds((double)received / limit) - clock.Elapsed is { } due && due > TimeSpan.Zero)
            {
                await Task.Delay(due, http.RequestAborted);
            }
        }
    }

    /// <summary>Basic or bearer auth when the VIM asks for it; answers 401 with the challenge and returns false otherwise.</summary>
    async Task<bool> AuthorizeAsync(HttpContext http, string vim, string? repository, string? action)
    {
        if (behaviourOf(vim).RegistryAuth is not { } auth)
        {
            return true;
        }

        var header = http.Request.Headers.Authorization.ToString();
        if (auth.Mode == SimulatedRegistryAuthMode.Basic)
        {
            if (header == BasicHeader(auth))
            {
                return true;
            }

            await ChallengeAsync(http, "Basic realm=\"simulated-registry\"");
            return false;
        }

        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.TryGetValue(header["Bearer ".Length..], out var token)
            && token.Vim == vim && token.ExpiresAt > DateTimeOffset.UtcNow
            && (repository is null || token.Grants.Contains($"{repository}:{action}")))
        {
            return true;
        }

        var actions = action == "push" ? "pull,push" : action;
        var scope = repository is null ? "" : $",scope=\"repository:{repository}:{actions}\"";
        await ChallengeAsync(http, $"Bearer realm=\"{address()}registries/{vim}/token\",service=\"{Service}\"{scope}");
        return false;
    }

    bool MayPull(HttpContext http, string vim, string repository) =>
        behaviourOf(vim).RegistryAuth is not { Mode: SimulatedRegistryAuthMode.Bearer }
        || (http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && _tokens.TryGetValue(header["Bearer ".Length..], out var token) && token.Grants.Contains($"{repository}:pull"));

    static Task ChallengeAsync(HttpContext http, string challenge)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = challenge;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}");
    }

    /// <summary>The token service: checks the user and password when the registry has them, grants every scope asked for.</summary>
    IResult IssueToken(HttpContext http, string vim)
    {
        if (behaviourOf(vim).RegistryAuth is not { Mode: SimulatedRegistryAuthMode.Bearer } auth)
        {
            return Results.NotFound();
        }

        if (auth.Username is not null && http.Request.Headers.Authorization.ToString() != BasicHeader(auth))
        {
            return Results.Json(new { details = "incorrect username or password" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var grants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in http.Request.Query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (scope.Split(':') is ["repository", var name, var actions])
            {
                foreach (var granted in actions.Split(','))
                {
                    grants.Add($"{name}:{granted}");
                }
            }
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new SimulatedToken(vim, grants, DateTimeOffset.UtcNow + auth.TokenLifetime);
        this[vim].CountToken();
        return Results.Json(new { token, access_token = token, expires_in = (int)auth.TokenLifetime.TotalSeconds, issued_at = DateTimeOffset.UtcNow });
    }

    static string BasicHeader(SimulatedRegistryAuth auth) =>
        $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{auth.Username}:{auth.Password}"))}";

    static string Digest(byte[] content) => $"sha256:{Convert.ToHexStringLower(SHA256.HashData(content))}";

    static Task ErrorAsync(HttpContext http, int status, string code, string message, string? detail)
    {
        http.Response.StatusCode = status;
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return Task.CompletedTask;
        }

        return http.Response.WriteAsJsonAsync(new { errors = new[] { new { code, message, detail } } });
    }

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryGrammar();
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace ImageManager.VimSimulator;

/// <summary>
/// The part of Keystone v3 that Image Manager uses, answering as Keystone 22 does (the Keystone driver tests run against
/// both): <c>POST auth/tokens</c> with a password (user and project by name, domains by name) or an application
/// credential, answered 201 with the token in <c>X-Subject-Token</c>, its expiry and a service catalog listing the
/// image endpoints given to <see cref="AddImageEndpoint"/>; a wrong user, password, secret or project 401, an unknown
/// application credential 404, each in Keystone's error document; <c>DELETE auth/tokens</c> revokes a token. Users,
/// projects and application credentials are made in process. Simulated Glance VIMs that require Keystone check tokens here.
/// </summary>
public sealed class SimulatedKeystone
{
    readonly ConcurrentDictionary<string, SimulatedKeystoneUser> _users = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (string Secret, SimulatedKeystoneUser User)> _applicationCredentials = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    readonly List<(string Region, Uri Url)> _imageEndpoints = [];
    long _logins;

    /// <summary>Where Keystone is below the simulator's address; also the name its behaviour is configured under.</summary>
    public const string PathPrefix = "identity";

    readonly Func<Uri> _root;

    internal SimulatedKeystone(Func<Uri> root) => _root = root;

    /// <summary>Keystone's v3 URL, as a VIM's <c>identityUrl</c> names it.</summary>
    public Uri IdentityUrl => new(_root(), $"{PathPrefix}/v3");

    /// <summary>How long a token is valid (Keystone's <c>[token] expiration</c>, one hour by default).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Successful logins so far.</summary>
    public long Logins => Interlocked.Read(ref _logins);

    /// <summary>A user with the member role in one project (created with it); domains by name.</summary>
    public void AddUser(string name, string password, string project, string domain = "Default") =>
        _users[$"{domain}/{name}"] = new SimulatedKeystoneUser(Guid.NewGuid().ToString("N"), name, domain, password, project);

    /// <summary>An application credential of a user, for the user's project: its id and its secret.</summary>
    public (string Id, string Secret) AddApplicationCredential(string user, string domain = "Default")
    {
        var owner = _users[$"{domain}/{user}"];
        var id = Guid.NewGuid().ToString("N");
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _applicationCredentials[id] = (secret, owner);
        return (id, secret);
    }

    /// <summary>Lists <paramref name="url"/> as the public image endpoint of <paramref name="region"/> in every token's catalog.</summary>
    public void AddImageEndpoint(string region, Uri url)
    {
        lock (_imageEndpoints)
        {
            _imageEndpoints.Add((region, url));
        }
    }

    /// <summary>Whether <paramref name="token"/> was issued here, is not revoked and has not expired.</summary>
    public bool Accepts(string? token) => token is not null && _tokens.TryGetValue(token, out var expires) && DateTimeOffset.UtcNow < expires;

    internal void Map(IEndpointRouteBuilder app)
    {
        var v3 = app.MapGroup($"/{PathPrefix}/v3");
        v3.MapGet("/", () => Results.Json(new JsonObject
        {
            ["version"] = new JsonObject { ["id"] = "v3.14", ["status"] = "stable" },
        }));
        v3.MapPost("/auth/tokens", LogIn);
        v3.MapDelete("/auth/tokens", Revoke);
    }

    IResult LogIn(JsonObject? body)
    {
        var identity = body?["auth"]?["identity"] as JsonObject;
        if (identity?["methods"] is not JsonArray methods)
        {
            return Error(StatusCodes.Status400BadRequest, "'identity' is a required property");
        }

        SimulatedKeystoneUser? user;
        string method;
        if (methods.Any(m => m?.GetValue<string>() == "application_credential"))
        {
            method = "application_credential";
            var id = identity["application_credential"]?["id"]?.GetValue<string>() ?? "";
            if (!_applicationCredentials.TryGetValue(id, out var credential))
            {
                return Error(StatusCodes.Status404NotFound, $"Could not find Application Credential: {id}.");
            }

            user = credential.Secret == identity["application_credential"]?["secret"]?.GetValue<string>() ? credential.User : null;
        }
        else
        {
            method = "password";
            var given = identity["password"]?["user"];
            var key = $"{given?["domain"]?["name"]?.GetValue<string>()}/{given?["name"]?.GetValue<string>()}";
            var scope = body?["auth"]?["scope"]?["project"];
            user = _users.TryGetValue(key, out var found)
                && found.Password == given?["password"]?.GetValue<string>()
                && found.Project == scope?["name"]?.GetValue<string>()
                && found.Domain == scope?["domain"]?["name"]?.GetValue<string>()
                ? found
                : null;
        }

        if (user is null)
        {
            return Error(StatusCodes.Status401Unauthorized, "The request you have made requires authentication.");
        }

        var token = "gAAAAA" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(120)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var issued = DateTimeOffset.UtcNow;
        var expires = issued + TokenLifetime;
        _tokens[token] = expires;
        Interlocked.Increment(ref _logins);
        return new KeystoneTokenResult(token, Document(user, method, issued, expires));
    }

    IResult Revoke(HttpContext http)
    {
        if (!Accepts(http.Request.Headers["X-Auth-Token"]))
        {
            return Error(StatusCodes.Status401Unauthorized, "The request you have made requires authentication.");
        }

        string subject = http.Request.Headers["X-Subject-Token"].ToString();
        return _tokens.TryRemove(subject, out _) ? Results.NoContent() : Error(StatusCodes.Status404NotFound, $"Could not find token: {subject}.");
    }

    JsonObject Document(SimulatedKeystoneUser user, string method, DateTimeOffset issued, DateTimeOffset expires)
    {
        var domain = new JsonObject { ["id"] = user.Domain.ToLowerInvariant(), ["name"] = user.Domain };
        JsonArray endpoints;
        lock (_imageEndpoints)
        {
            endpoints = new JsonArray([.. _imageEndpoints.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString("N"),
                ["interface"] = "public",
                ["region_id"] = e.Region,
                ["url"] = e.Url.AbsoluteUri.TrimEnd('/'),
                ["region"] = e.Region,
            })]);
        }

        return new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["methods"] = new JsonArray(method),
                ["user"] = new JsonObject { ["domain"] = domain.DeepClone(), ["id"] = user.Id, ["name"] = user.Name, ["password_expires_at"] = null },
                ["audit_ids"] = new JsonArray(Guid.NewGuid().ToString("N")[..22]),
                ["expires_at"] = Time(expires),
                ["issued_at"] = Time(issued),
                ["project"] = new JsonObject { ["domain"] = domain.DeepClone(), ["id"] = user.ProjectId, ["name"] = user.Project },
                ["is_domain"] = false,
                ["roles"] = new JsonArray(new JsonObject { ["id"] = "member", ["name"] = "member" }),
                ["catalog"] = new JsonArray(new JsonObject
                {
                    ["endpoints"] = endpoints,
                    ["id"] = "image",
                    ["type"] = "image",
                    ["name"] = "glance",
                }),
            },
        };
    }

    /// <summary>Keystone's own format: microseconds, always zero, and a 'Z'.</summary>
    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + ".000000Z";

    static IResult Error(int status, string message) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["title"] = ReasonPhrases.GetReasonPhrase(status) } },
        statusCode: status);
}

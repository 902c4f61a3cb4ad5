using System.Text.Json.Nodes;

namespace ImageManager.Testing;

/// <summary>
/// The local Keystone (<c>infra/infra.sh</c>) as its administrator uses it, through its API: a project, a member user
/// and an application credential for each test, removed again when disposed.
/// </summary>
public sealed class KeystoneAdmin : IAsyncDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };
    readonly List<string> _created = [];
    string? _token;

    public static Uri IdentityUrl => Infrastructure.Keystone;

    public async Task<KeystoneAccount> CreateAccountAsync()
    {
        var token = _token ??= await LogInAsync(_http, IdentityUrl, "admin", Infrastructure.KeystoneAdminPassword, "admin");
        var name = $"imtest-{Guid.NewGuid():N}"[..20];
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var project = await CallAsync(HttpMethod.Post, "projects", token, new JsonObject { ["project"] = new JsonObject { ["name"] = name, ["domain_id"] = "default" } });
        var projectId = project["project"]!["id"]!.GetValue<string>();
        _created.Add($"projects/{projectId}");
        var user = await CallAsync(HttpMethod.Post, "users", token, new JsonObject
        {
            ["user"] = new JsonObject { ["name"] = name, ["domain_id"] = "default", ["password"] = password, ["default_project_id"] = projectId },
        });
        var userId = user["user"]!["id"]!.GetValue<string>();
        _created.Insert(0, $"users/{userId}");
        var member = (await CallAsync(HttpMethod.Get, "roles?name=member", token))["roles"]!.AsArray().Single()!["id"]!.GetValue<string>();
        await CallAsync(HttpMethod.Put, $"projects/{projectId}/users/{userId}/roles/{member}", token);

        // An application credential is made by its user, with a token of the project it is for.
        var own = await LogInAsync(_http, IdentityUrl, name, password, name);
        var credential = (await CallAsync(HttpMethod.Post, $"users/{userId}/application_credentials", own,
            new JsonObject { ["application_credential"] = new JsonObject { ["name"] = "image-manager-test" } }))["application_credential"]!;
        var credentialId = credential["id"]!.GetValue<string>();

        // Deleted by its user before the user goes: deleting a user leaves its application credentials' role rows behind
        // in Keystone's sqlite database (no foreign keys there), and the next credential would collide with them.
        _created.Insert(0, $"users/{userId}/application_credentials/{credentialId}|{own}");
        return new KeystoneAccount(name, password, name, credentialId, credential["secret"]!.GetValue<string>());
    }

    /// <summary>A project-scoped token of a user (domain Default), from any Keystone v3 that speaks the API.</summary>
    public static async Task<string> LogInAsync(HttpClient http, Uri identityUrl, string user, string password, string project)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user, ["domain"] = new JsonObject { ["name"] = "Default" }, ["password"] = password } },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = project, ["domain"] = new JsonObject { ["name"] = "Default" } } },
            },
        };
        using var response = await http.PostAsync(new Uri(identityUrl.AbsoluteUri.TrimEnd('/') + "/auth/tokens"), Json(body));
        return response.IsSuccessStatusCode && response.Headers.TryGetValues("X-Subject-Token", out var token)
            ? token.Single()
            : throw new InvalidOperationException($"Keystone at {identityUrl} refused {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    async Task<JsonObject> CallAsync(HttpMethod method, string path, string token, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(IdentityUrl.AbsoluteUri.TrimEnd('/') + "/" + path)) { Content = body is null ? null : Json(body) };
        request.Headers.Add("X-Auth-Token", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"Keystone answered {method} {path} with {(int)response.StatusCode}: {text}");
    }

    /// <summary>With a length: uwsgi, which serves Keystone here, reads no chunked body.</summary>
    static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        if (_token is not null)
        {
            foreach (var entry in _created)
            {
                var (path, token) = entry.Split('|') is [var own, var ownToken] ? (own, ownToken) : (entry, _token);
                try
                {
                    await CallAsync(HttpMethod.Delete, path, token);
                }
                catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException)
                {
                    // A test account left behind is untidy, not wrong: names are unique per test.
                }
            }
        }

        _http.Dispose();
    }
}

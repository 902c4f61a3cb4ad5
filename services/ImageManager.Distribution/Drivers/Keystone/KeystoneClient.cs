using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Drivers.Keystone;

/// <summary>
/// Logs in to Keystone v3 (<c>POST {identityUrl}/auth/tokens</c>) with a VIM's credentials: a user's password, scoped
/// to a project (domains by name, <c>Default</c> when absent), or an application credential (scoped by itself). What
/// goes wrong is said as Keystone said it, without the secret: refused credentials are rejected (a retry sends the same
/// ones), an unreachable or failing Keystone is transient.
/// </summary>
public static class KeystoneClient
{
    const string DefaultDomain = "Default";

    public static async Task<KeystoneToken> LogInAsync(VimConnection vim, CancellationToken cancellationToken)
    {
        var identityUrl = vim.Vim.IdentityUrl
            ?? throw new InvalidOperationException($"VIM '{vim.Vim.Id}' has no identity URL: it is reached without Keystone.");
        var credentials = vim.Credentials
            ?? throw new VimRejectedException($"VIM '{vim.Vim.Id}' names Keystone at {identityUrl} but has no credentials to log in with.");
        var tokens = new Uri(identityUrl.AbsoluteUri.EndsWith('/') ? identityUrl : new Uri(identityUrl.AbsoluteUri + "/"), "auth/tokens");
        var body = AuthenticationOf(credentials, vim.Vim.Id);

        HttpResponseMessage response;
        try
        {
            // With a length: WSGI servers in front of Keystone (uwsgi, mod_wsgi) read no chunked body.
            using var request = new HttpRequestMessage(HttpMethod.Post, tokens) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            response = await vim.Http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw VimHttpErrors.Classify("Keystone", tokens, exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VimTransientException($"Keystone at {tokens.GetLeftPart(UriPartial.Authority)} did not answer in time.", exception) { HealthReason = VimHealthReasons.Unreachable };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RefusalAsync(response, tokens, credentials, vim.Vim.Id, cancellationToken);
            }

            var value = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.FirstOrDefault() : null;
            JsonObject? document;
            try
            {
                document = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            }
            catch (JsonException)
            {
                document = null;
            }

            return value is not null && document?["token"] is JsonObject token && Read(value, token) is { } read
                ? read
                : throw VimHttpErrors.WrongApi($"Keystone at {tokens.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} without a token (X-Subject-Token) and its expiry: is {identityUrl} Keystone's v3 URL?");
        }
    }

    static JsonObject AuthenticationOf(VimCredentials credentials, string vimId)
    {
        if (credentials is { ApplicationCredentialId: { } id, ApplicationCredentialSecret: { } secret })
        {
            // An application credential belongs to one project: Keystone scopes the token itself and refuses a scope.
            return new JsonObject
            {
                ["auth"] = new JsonObject
                {
                    ["identity"] = new JsonObject
                    {
                        ["methods"] = new JsonArray("application_credential"),
                        ["application_credential"] = new JsonObject { ["id"] = id, ["secret"] = secret },
                    },
                },
            };
        }

        if (credentials is { Username: { } username, Password: { } password, ProjectName: { } project })
        {
            return new JsonObject
            {
                ["auth"] = new JsonObject
                {
                    ["identity"] = new JsonObject
                    {
                        ["methods"] = new JsonArray("password"),
                        ["password"] = new JsonObject
                        {
                            ["user"] = new JsonObject
                            {
                                ["name"] = username,
                                ["domain"] = new JsonObject { ["name"] = credentials.UserDomain ?? DefaultDomain },
                                ["password"] = password,
                            },
                        },
                    },
                    ["scope"] = new JsonObject
                    {
                        ["project"] = new JsonObject
                        {
                            ["name"] = project,
                            ["domain"] = new JsonObject { ["name"] = credentials.ProjectDomain ?? DefaultDomain },
                        },
                    },
                },
            };
        }

        throw new VimRejectedException($"VIM '{vimId}' has credentials Keystone cannot take: username, password and projectName, or applicationCredentialId and applicationCredentialSecret.");
    }

    static KeystoneToken? Read(string value, JsonObject token)
    {
        if (!TryTime(token["expires_at"], out var expiresAt))
        {
            return null;
        }

        var issuedAt = TryTime(token["issued_at"], out var issued) ? issued : expiresAt.AddHours(-1);
        var catalog = new List<KeystoneEndpoint>();
        foreach (var service in (token["catalog"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(service["type"]) is not { } type)
            {
                continue;
            }

            foreach (var endpoint in (service["endpoints"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Text(endpoint["interface"]) is { } @interface && Uri.TryCreate(Text(endpoint["url"]), UriKind.Absolute, out var url))
                {
                    catalog.Add(new KeystoneEndpoint(type, @interface, Text(endpoint["region_id"]) ?? Text(endpoint["region"]), url));
                }
            }
        }

        return new KeystoneToken(value, issuedAt, expiresAt, catalog);
    }

    static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    static bool TryTime(JsonNode? node, out DateTimeOffset time)
    {
        time = default;
        return Text(node) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    static async Task<Exception> RefusalAsync(HttpResponseMessage response, Uri tokens, VimCredentials credentials, string vimId, CancellationToken cancellationToken)
    {
        var keystone = $"Keystone at {tokens.GetLeftPart(UriPartial.Authority)}";
        var code = (int)response.StatusCode;
        // Keystone's {"error":{"message":..}} when it sent one (and whether it did), else the start of the body.
        var (said, fromKeystone) = await VimHttpErrors.ReadSaidAsync(response, json => VimHttpErrors.TextOf((json["error"] as JsonObject)?["message"]), cancellationToken, 300);
        said = WithoutSecrets(said, credentials);
        var status = $"{VimHttpErrors.StatusOf(response)}{(said is null ? "" : $": {said}")}";
        if (code >= 500 || code is 408 or 429)
        {
            return new VimTransientException($"{keystone} could not log VIM '{vimId}' in now: {status}") { HealthReason = VimHealthReasons.Refused };
        }

        // Keystone answers an unknown user or a wrong password with 401, an unknown application credential with 404 in
        // its own error document; a 404 without one is a wrong identity URL.
        if (response.StatusCode == HttpStatusCode.Unauthorized || (response.StatusCode == HttpStatusCode.NotFound && fromKeystone))
        {
            return new VimRejectedException($"{keystone} refused the credentials of VIM '{vimId}' ({MethodOf(credentials)}): {status}") { HealthReason = VimHealthReasons.Authentication };
        }

        return response.StatusCode == HttpStatusCode.NotFound
            ? VimHttpErrors.WrongApi($"{keystone} has no {tokens.AbsolutePath} ({status}): is the VIM's identityUrl Keystone's v3 URL (ending in /v3)?")
            : new VimRejectedException($"{keystone} refused to log VIM '{vimId}' in ({MethodOf(credentials)}): {status}")
            {
                HealthReason = response.StatusCode == HttpStatusCode.Forbidden ? VimHealthReasons.Authentication : VimHealthReasons.Refused,
            };
    }

    static string MethodOf(VimCredentials credentials) =>
        credentials.ApplicationCredentialId is not null
            ? $"application credential {credentials.ApplicationCredentialId}"
            : $"user {credentials.Username} in domain {credentials.UserDomain ?? DefaultDomain}, project {credentials.ProjectName} in domain {credentials.ProjectDomain ?? DefaultDomain}";

    /// <summary>Keystone does not echo secrets; should one ever come back in an answer, it goes no further.</summary>
    static string? WithoutSecrets(string? text, VimCredentials credentials)
    {
        foreach (var secret in new[] { credentials.Password, credentials.ApplicationCredentialSecret, credentials.Token })
        {
            if (text is not null && !string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}

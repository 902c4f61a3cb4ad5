using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Tests.Access;

/// <summary>Tokens and keys that must not get in, each refused with 401 and a reason a person can act on.</summary>
public sealed class CredentialRefusalTests(ApiApp app) : IClassFixture<ApiApp>
{
    const string Probe = "/internal/v1/bus-traffic"; // answered by the Api itself for any authenticated caller

    [Fact]
    public async Task When_a_token_is_valid_the_caller_is_let_in()
    {
        var (status, _) = await CallAsync(app.TokenIssuer.Token("sdc", "tenant-a", [CallerRoles.Viewer]));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task When_the_bootstrap_admin_key_is_presented_it_is_let_in_as_admin()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", app.AdminKey);

        using var response = await client.GetAsync(Probe);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string> RefusedTokens() => new()
    {
        { "expired", "The token expired at" },
        { "signed by another key", "does not verify with any key configured for its issuer" },
        { "from an issuer not trusted", "issuer is not one this installation trusts" },
        { "for another audience", "not meant for Image Manager" },
        { "without a tenant", "must name its subject ('sub') and tenant ('tenant')" },
        { "without an expiry", "only tokens that expire are accepted" },
        { "unsigned (alg none)", "" },
        { "malformed", "neither an API key (imk_…) nor a well-formed JWT" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task When_a_token_is_wrong_it_is_refused_with_401_and_the_reason(string what, string reason)
    {
        var issuer = app.TokenIssuer;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var otherKey = RSA.Create(2048);
        var token = what switch
        {
            "expired" => issuer.Token("so", "tenant-a", [CallerRoles.Admin], new Dictionary<string, JsonNode?> { ["exp"] = now - 120, ["iat"] = now - 720 }),
            "signed by another key" => issuer.Token("so", "tenant-a", [CallerRoles.Admin], signWith: otherKey),
            "from an issuer not trusted" => issuer.Token("so", "tenant-a", [CallerRoles.Admin], new Dictionary<string, JsonNode?> { ["iss"] = "https://elsewhere.example" }),
            "for another audience" => issuer.Token("so", "tenant-a", [CallerRoles.Admin], new Dictionary<string, JsonNode?> { ["aud"] = "another-service" }),
            "without a tenant" => issuer.Token("so", "tenant-a", [CallerRoles.Admin], new Dictionary<string, JsonNode?> { ["tenant"] = null }),
            "without an expiry" => issuer.Token("so", "tenant-a", [CallerRoles.Admin], new Dictionary<string, JsonNode?> { ["exp"] = null }),
            "unsigned (alg none)" => issuer.UnsignedToken("so", "tenant-a", [CallerRoles.Admin]),
            _ => "this.is-not-a-jwt",
        };

        var (status, detail) = await CallAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("imk_short")]
    [InlineData("imk_abcdefghijkl_has-characters-a-key-never-has!!!!!!!!!!!!!")]
    public async Task When_an_api_key_is_malformed_it_is_refused_without_being_looked_up(string key)
    {
        var (status, detail) = await CallAsync(key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("The API key is malformed", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_credentials_are_sent_the_401_says_how_to_send_them()
    {
        var (status, detail) = await CallAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("No credentials", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_keys_cannot_be_checked_the_answer_is_503_not_401()
    {
        // A well-formed key that only the Catalog could confirm; no Catalog runs behind this Api.
        var (status, detail) = await CallAsync("imk_abcdefghijkl_" + new string('A', 40));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("cannot be checked now", detail, StringComparison.Ordinal);
    }

    async Task<(HttpStatusCode Status, string Detail)> CallAsync(string? credential)
    {
        using var client = app.CreateClient();
        if (credential is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        using var response = await client.GetAsync(Probe);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return (response.StatusCode, "");
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, problem!["detail"]!.GetValue<string>());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageManager.Api.Tests.Protection;

/// <summary>What the Api answers on its own to keep callers from hurting each other: headers, body sizes, CORS, rate.</summary>
public sealed class RequestProtectionTests(ApiApp app) : IClassFixture<ApiApp>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/api/v1/openapi.json")]
    [InlineData("/api/v1/images/not-a-guid")]
    public async Task When_any_path_is_asked_for_the_answer_carries_the_security_headers(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task When_a_json_body_is_larger_than_the_limit_it_is_refused_with_413_and_a_reason_before_being_read()
    {
        using var client = app.CreateClient();
        var name = new string('x', 2 * 1024 * 1024);

        // Expect: 100-continue, as clients that send large bodies do: the refusal comes before any byte of the body is
        // sent (otherwise the client may still be writing when the refused connection closes).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/images")
        {
            Content = new StringContent($$"""{"name":"{{name}}","version":"1","kind":"vm-image"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("takes at most 1048576", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_bulk_vim_body_is_over_the_json_limit_but_within_the_bulk_limit_it_is_passed_on_and_over_that_refused_with_413()
    {
        await using var configured = new ApiApp(("Protection:BulkVimBodyLimitBytes", (3 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await configured.InitializeAsync();
        using var client = configured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", configured.AdminKey);

        using var within = await client.SendAsync(BulkRequest(2 * 1024 * 1024));
        using var over = await client.SendAsync(BulkRequest(4 * 1024 * 1024));

        // Within the route's limit the body reaches the forwarder: the Distribution service is not running here (503).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, within.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        var problem = (await over.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains($"takes at most {3 * 1024 * 1024}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    static HttpRequestMessage BulkRequest(int bytes)
    {
        var vim = """{"id":"acme_r1","type":"openstack","endpoint":"https://glance.example.net/","tags":["__"]}""";
        var padding = new string('x', Math.Max(0, bytes - 64));
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/vims")
        {
            Content = new StringContent($$"""{"vims":[{{vim.Replace("__", padding, StringComparison.Ordinal)}}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        return request;
    }

    [Fact]
    public async Task When_a_page_of_another_origin_asks_it_is_not_allowed()
    {
        using var client = app.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/images");
        preflight.Headers.Add("Origin", "https://elsewhere.example");
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");

        using var response = await client.SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task When_an_origin_is_configured_only_that_one_is_allowed()
    {
        await using var configured = new ApiApp(("Protection:AllowedOrigins:0", "https://portal.example"));
        await configured.InitializeAsync();
        using var client = configured.CreateClient();

        var allowed = await Preflight(client, "https://portal.example");
        var other = await Preflight(client, "https://elsewhere.example");

        Assert.Equal("https://portal.example", allowed);
        Assert.Null(other);
    }

    [Fact]
    public async Task When_a_caller_sends_more_than_its_burst_the_excess_gets_429_with_retry_after_and_health_still_answers()
    {
        await using var limited = new ApiApp(("Protection:PermitsPerSecond", "1"), ("Protection:Burst", "5"));
        await limited.InitializeAsync();
        using var client = limited.CreateClient();

        using (await client.GetAsync("/healthz")) { } // warm, and not counted

        // At once, so that all are counted before the bucket refills (one a second).
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync("/api/v1/images/not-a-guid")));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) >= 1);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        using var health = await client.GetAsync("/healthz");
        Assert.Equal(5, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, health.StatusCode);
    }

    static async Task<string?> Preflight(HttpClient client, string origin)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/images");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await client.SendAsync(preflight);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageManager.Api.Tests.Binding;

/// <summary>
/// What the Api answers itself when a request does not bind: each answer a problem+json whose detail names the parameter
/// or field and says what it takes. (The services behind it are not running: nothing here reaches them.)
/// </summary>
public sealed class BindingProblemTests(ApiApp app) : IClassFixture<ApiApp>
{
    [Theory]
    [InlineData("POST", "/api/v1/images", "application/json")]
    [InlineData("POST", "/api/v1/vims", "application/json")]
    [InlineData("PATCH", "/api/v1/vims/edge_paris", "application/merge-patch+json")]
    [InlineData("POST", "/api/v1/subscriptions", "application/json")]
    public async Task When_a_body_over_the_limit_comes_without_a_length_it_is_refused_with_413_before_it_is_forwarded(string method, string path, string contentType)
    {
        // A plain client: the factory's own buffers bodies (to follow redirects) and then sends their length.
        using var factoryClient = app.CreateClient();
        using var client = new HttpClient { BaseAddress = factoryClient.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", app.AdminKey);
        // Just over the limit: the server answers once it has read 1 MiB and may close the connection then, so what the
        // client still has to write must fit in the socket's buffers (2 MiB did not always: a broken pipe, not the 413).
        var body = $$"""{"name":"{{new string('x', (1024 * 1024) + 4096)}}"}""";
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new UnsizedContent(body, contentType) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("1048576", JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/images/abc/file")]
    [InlineData("HEAD", "/api/v1/images/abc/file")]
    [InlineData("GET", "/api/v1/images/abc/file")]
    [InlineData("POST", "/api/v1/images/12345/import")]
    [InlineData("GET", "/api/v1/images/abc")]
    [InlineData("GET", "/api/v1/distributions/0195a3c4-7b1e-7c22-9d1a/targets")]
    public async Task When_a_path_id_is_not_a_uuid_it_is_refused_with_400_naming_id_and_what_it_takes(string method, string path)
    {
        using var client = AdminClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (method != "HEAD")
        {
            var problem = await ProblemOf(response);
            Assert.Contains("id is a UUID", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(problem["errors"]!["id"]);
        }
    }

    [Fact]
    public async Task When_a_path_id_is_not_a_uuid_an_anonymous_caller_is_still_asked_for_credentials_first()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/v1/images/abc");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task When_a_resumable_patch_has_another_content_type_it_is_refused_with_415_naming_the_one_it_takes()
    {
        using var client = AdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{Guid.NewGuid()}/file")
        {
            Content = new ByteArrayContent(new byte[16]) { Headers = { { "Content-Type", "application/octet-stream" } } },
        };
        request.Headers.Add("Upload-Offset", "0");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = (await ProblemOf(response))["detail"]!.GetValue<string>();
        Assert.Contains("application/offset+octet-stream", detail, StringComparison.Ordinal);
        Assert.Contains("application/octet-stream", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_method_is_not_one_the_path_takes_it_is_refused_with_405_naming_those_it_takes()
    {
        using var client = AdminClient();

        using var response = await client.PutAsync("/api/v1/removals", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", (await ProblemOf(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"method":"web-download","uri":"http://127.0.0.1/a","url":"x"}""", "url", "is not a member")]
    [InlineData("""{"method":"web-download","uri":5}""", "uri", "a string")]
    [InlineData("""{"method":"web-download",""", "body", "line 1")]
    [InlineData("{\n\"method\": \"web-download\"\n\"uri\": \"x\"}", "body", "line 3")]
    public async Task When_an_import_body_does_not_bind_it_is_refused_with_400_naming_the_member(string body, string field, string says)
    {
        using var client = AdminClient();

        using var response = await client.PostAsync($"/api/v1/images/{Guid.NewGuid()}/import", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeout=soon", "timeout")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=2147483648", "limit")]
    public async Task When_a_query_value_is_not_a_whole_number_it_is_refused_with_400_naming_it(string query, string parameter)
    {
        using var client = AdminClient();

        using var response = await client.GetAsync($"/api/v1/events/IMAGE-LIFECYCLE/group/one?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemOf(response);
        Assert.NotNull(problem["errors"]![parameter]);
        Assert.Contains($"{parameter} is a whole number", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    HttpClient AdminClient()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", app.AdminKey);
        return client;
    }

    static async Task<JsonObject> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"no detail: {problem}");
        return problem;
    }
}

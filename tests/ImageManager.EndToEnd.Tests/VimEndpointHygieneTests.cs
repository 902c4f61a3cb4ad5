using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A VIM's addresses cannot be a way around the rules: no credentials in its URLs, no page of another service shown as
/// its error (only the status and a short reason), and the signed download link a web-download VIM is given never in
/// a target's error, an event, a webhook body or the log.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class VimEndpointHygieneTests(SystemFixture system) : IAsyncLifetime
{
    const string Password = "pa55-in-the-url";
    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Theory]
    [InlineData("endpoint", "openstack", "endpoint")]
    [InlineData("endpoint", "oci-registry", "endpoint")]
    [InlineData("endpoint", "onap-multicloud", "endpoint")]
    [InlineData("identityUrl", "openstack", "identityUrl")]
    public async Task When_a_vim_url_carries_a_user_name_or_password_the_registration_is_refused_naming_the_field(string member, string type, string field)
    {
        var body = new JsonObject { ["id"] = system.VimIdOf($"userinfo-{type}-{member}"), ["type"] = type, ["endpoint"] = "https://glance.example.net:9292/" };
        if (type == "onap-multicloud")
        {
            body["tenant"] = "t1";
        }

        if (member == "identityUrl")
        {
            body["credentials"] = new JsonObject { ["username"] = "u", ["password"] = "p", ["projectName"] = "p" };
        }

        body[member] = member == "identityUrl" ? $"https://admin:{Password}@keystone.example.net:5000/v3" : $"https://admin:{Password}@glance.example.net:9292/";

        using var response = await system.Api.PostAsJsonAsync("/api/v1/vims", body);
        var text = await response.Content.ReadAsStringAsync();
        using var absent = await system.Api.GetAsync($"/api/v1/vims/{body["id"]}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(JsonNode.Parse(text)!["errors"]![field]);
        Assert.Contains("user name or password", JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Theory]
    [InlineData("endpoint", """{"endpoint": "http://admin:pa55-in-the-url@glance.example.net:9292/"}""")]
    [InlineData("identityUrl", """{"identityUrl": "https://admin:pa55-in-the-url@keystone.example.net:5000/v3", "credentials": {"username": "u", "password": "p", "projectName": "p"}}""")]
    public async Task When_a_patch_puts_a_user_name_or_password_in_a_vim_url_it_is_refused_naming_the_field_and_nothing_changes(string field, string patch)
    {
        var id = await system.RegisterVimAsync($"userinfo-patched-{field}", new Uri("https://glance.example.net:9292/"));

        using var response = await system.Api.PatchAsync($"/api/v1/vims/{id}", new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));
        var text = await response.Content.ReadAsStringAsync();
        var shown = await system.GetJsonAsync($"/api/v1/vims/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(text)!["errors"]![field]);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Equal("https://glance.example.net:9292/", shown["endpoint"]!.GetValue<string>());
        Assert.Null(shown["identityUrl"]);
    }

    [Fact]
    public async Task When_a_vim_answers_with_a_page_its_error_is_the_status_and_a_short_reason_never_the_page()
    {
        const string marker = "internal-page-content-never-shown";
        var page = Encoding.UTF8.GetBytes($"<html><head><title>Oops</title></head><body><h1>Server error</h1><p>{marker}</p>{string.Concat(Enumerable.Repeat("<p>stack frame at internal.service.Method()</p>", 60))}</body></html>");
        var vimId = system.VimIdOf("answers-a-page");
        _simulator.Configure(vimId, new SimulatedVimBehaviour { FailWith = Fault.Answering(500, page, "text/html; charset=utf-8") });
        await system.RegisterVimAsync("answers-a-page", _simulator.EndpointOf(vimId));

        using var probe = await system.Api.PostAsync($"/api/v1/vims/{vimId}/probe", null);
        var health = (await probe.Content.ReadFromJsonAsync<JsonObject>())!;
        var error = health["lastError"]!.GetValue<string>();

        Assert.Equal(("unhealthy", "refused"), (health["state"]!.GetValue<string>(), health["reason"]!.GetValue<string>()));
        Assert.Equal("Glance refused to list its images: 500 Internal Server Error", error);
        Assert.DoesNotContain(marker, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vim_endpoint_is_an_internal_service_its_answer_is_not_shown()
    {
        var catalog = system.Services["catalog"].Address;
        var vimId = await system.RegisterVimAsync("points-inside", catalog);

        using var probe = await system.Api.PostAsync($"/api/v1/vims/{vimId}/probe", null);
        var health = (await probe.Content.ReadFromJsonAsync<JsonObject>())!;
        var error = health["lastError"]!.GetValue<string>();

        Assert.Equal("unhealthy", health["state"]!.GetValue<string>());
        Assert.StartsWith("Glance refused to list its images: 401 Unauthorized", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, error);
        Assert.DoesNotContain("token", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task When_a_web_download_vim_fails_the_signed_link_is_in_no_error_event_webhook_body_or_log()
    {
        using var subscriber = new WebhookSubscriber();
        using (var subscribed = await system.Api.PostAsJsonAsync("/api/v1/subscriptions",
            new { url = subscriber.Url, events = new[] { "org.onap.imagemanager.distribution.*" }, secret = Convert.ToHexString(Guid.NewGuid().ToByteArray()), description = "signed links" }))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var vimId = system.VimIdOf("filters-links");
        _simulator.Configure(vimId, new SimulatedVimBehaviour { WebDownloadFiltered = true });
        await system.RegisterGlanceAsync("filters-links", _simulator.EndpointOf(vimId), uploadMode: "web-download");
        var imageId = await system.CreateImageAsync("signed-link");
        await system.UploadAsync(imageId, TestImage.Random(16 * 1024));
        await system.WaitForStatusAsync(imageId, "active");

        var distributionId = await system.DistributeAsync(imageId, vimId);
        var done = await system.WaitForDistributionAsync(distributionId);
        using var events = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}/events");
        var stream = await events.Content.ReadAsStringAsync();
        var deliveries = await subscriber.WaitForAsync(
            r => r.Any(d => d.Type.EndsWith(".completed", StringComparison.Ordinal) && d.Subject == distributionId.ToString()), "the completion's webhook");

        var link = Assert.Single(_simulator.ImportUrisOf(vimId));
        var signature = System.Web.HttpUtility.ParseQueryString(link.Query)["signature"]!;
        Assert.Matches("^[0-9a-f]{64}$", signature);
        var target = done["targets"]!.AsArray().Single()!;
        var error = target["lastError"]!.GetValue<string>();
        Assert.Equal("failed", target["state"]!.GetValue<string>());
        Assert.Contains("does not pass filtering", error, StringComparison.Ordinal);
        Assert.Contains(link.GetLeftPart(UriPartial.Path), error, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, error, StringComparison.Ordinal);
        Assert.Contains("\"failed\"", stream, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, stream, StringComparison.Ordinal);
        Assert.All(deliveries, d => Assert.DoesNotContain(signature, Encoding.UTF8.GetString(d.Body), StringComparison.Ordinal));
        Assert.Contains(deliveries, d => Encoding.UTF8.GetString(d.Body).Contains("does not pass filtering", StringComparison.Ordinal));
        foreach (var service in new[] { "distribution", "api", "notifications", "catalog" })
        {
            Assert.DoesNotContain(signature, await ReadLogAsync(system.Services[service].LogPath), StringComparison.Ordinal);
        }
    }

    static async Task<string> ReadLogAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return await reader.ReadToEndAsync();
    }
}

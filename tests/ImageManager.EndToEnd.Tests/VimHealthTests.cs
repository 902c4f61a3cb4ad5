using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A VIM's health says only what the VIM showed: <c>unknown</c> until it has answered, then <c>healthy</c>, or
/// <c>unhealthy</c> with what the probe found (unreachable, TLS, authentication, not the API registered). Registration
/// probes in the background; the list filters on health.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class VimHealthTests(SystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task When_a_vim_is_registered_where_nothing_listens_it_is_unknown_then_unhealthy_and_unreachable_never_healthy()
    {
        var (status, registered) = await RegisterAsync("nothing-listens", new { type = "openstack", endpoint = "http://127.0.0.1:9/" });

        var probed = await HealthOnceProbedAsync(registered["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("unknown", registered["health"]!["state"]!.GetValue<string>());
        Assert.Equal(("unhealthy", "unreachable"), (probed["state"]!.GetValue<string>(), probed["reason"]!.GetValue<string>()));
        Assert.Contains("unreachable", probed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(probed["lastAnsweredAt"]);
    }

    [Fact]
    public async Task When_a_probe_gets_connection_refused_the_vim_is_unhealthy_not_healthy()
    {
        var (_, registered) = await RegisterAsync("refused-probe", new { type = "openstack", endpoint = "http://127.0.0.1:9/" });
        var id = registered["id"]!.GetValue<string>();

        using var probe = await system.Api.PostAsync($"/api/v1/vims/{id}/probe", null);
        var health = (await probe.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(("unhealthy", "unreachable"), (health["state"]!.GetValue<string>(), health["reason"]!.GetValue<string>()));
        Assert.NotNull(health["lastProbeAt"]);
    }

    [Fact]
    public async Task When_a_vim_is_registered_at_a_live_glance_it_becomes_healthy_once_it_answered()
    {
        var (_, registered) = await RegisterAsync("live-glance", new { type = "openstack", endpoint = Infrastructure.Glance1.ToString() });

        var probed = await HealthOnceProbedAsync(registered["id"]!.GetValue<string>());

        Assert.Equal("unknown", registered["health"]!["state"]!.GetValue<string>());
        Assert.Equal("healthy", probed["state"]!.GetValue<string>());
        Assert.Null(probed["reason"]);
        Assert.Null(probed["lastError"]);
        Assert.NotNull(probed["lastAnsweredAt"]);
    }

    [Theory]
    [InlineData("glance-at-registry", "openstack", "registry")]
    [InlineData("glance-at-keystone", "openstack", "keystone")]
    [InlineData("registry-at-glance", "oci-registry", "glance")]
    public async Task When_a_vim_points_at_another_api_the_probe_says_it_is_the_wrong_api(string name, string type, string actually)
    {
        var endpoint = actually switch
        {
            "registry" => Infrastructure.Registry,
            "keystone" => Infrastructure.Keystone,
            _ => Infrastructure.Glance1,
        };
        var (_, registered) = await RegisterAsync(name, new { type, endpoint = endpoint.ToString() });

        var probed = await HealthOnceProbedAsync(registered["id"]!.GetValue<string>());

        Assert.Equal(("unhealthy", "wrong-api"), (probed["state"]!.GetValue<string>(), probed["reason"]!.GetValue<string>()));
        Assert.True(probed["lastError"]!.GetValue<string>().Length <= 300, probed["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_keystone_refuses_the_credentials_the_vim_is_unhealthy_for_authentication()
    {
        const string wrong = "not-the-password-health";
        var (_, registered) = await RegisterAsync("keystone-refuses", new
        {
            type = "openstack",
            endpoint = Infrastructure.GlanceKeystone.ToString(),
            identityUrl = Infrastructure.Keystone.ToString(),
            credentials = new { username = "imagemanager-nobody", password = wrong, projectName = "admin" },
        });

        var probed = await HealthOnceProbedAsync(registered["id"]!.GetValue<string>());

        Assert.Equal(("unhealthy", "authentication"), (probed["state"]!.GetValue<string>(), probed["reason"]!.GetValue<string>()));
        Assert.Contains("401", probed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, probed.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_https_is_registered_where_the_vim_speaks_plain_http_the_vim_is_unhealthy_for_tls()
    {
        var (_, registered) = await RegisterAsync("tls-mismatch", new { type = "openstack", endpoint = $"https://127.0.0.1:{Infrastructure.Glance1.Port}/" });

        var probed = await HealthOnceProbedAsync(registered["id"]!.GetValue<string>());

        Assert.Equal(("unhealthy", "tls"), (probed["state"]!.GetValue<string>(), probed["reason"]!.GetValue<string>()));
        Assert.Contains("TLS", probed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_vims_are_listed_by_health_each_filter_gives_the_vims_in_that_state()
    {
        var region = system.Unique("by-health");
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var held = new LoopbackHttpServer(async context => await answer.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        try
        {
            var (_, live) = await RegisterAsync("by-health-live", new { type = "openstack", endpoint = Infrastructure.Glance1.ToString(), region });
            var (_, dead) = await RegisterAsync("by-health-dead", new { type = "openstack", endpoint = "http://127.0.0.1:9/", region });
            var (_, waiting) = await RegisterAsync("by-health-waiting", new { type = "openstack", endpoint = held.Address.ToString(), region });
            await HealthOnceProbedAsync(live["id"]!.GetValue<string>());
            await HealthOnceProbedAsync(dead["id"]!.GetValue<string>());

            var healthy = await IdsAsync($"/api/v1/vims?region={region}&health=healthy");
            var unhealthy = await IdsAsync($"/api/v1/vims?region={region}&health=unhealthy");
            var unknown = await IdsAsync($"/api/v1/vims?region={region}&health=unknown");

            Assert.Equal([live["id"]!.GetValue<string>()], healthy);
            Assert.Equal([dead["id"]!.GetValue<string>()], unhealthy);
            Assert.Equal([waiting["id"]!.GetValue<string>()], unknown);
        }
        finally
        {
            answer.TrySetResult();
        }
    }

    [Theory]
    [InlineData("degraded")]
    [InlineData("HEALTHY")]
    [InlineData("")]
    public async Task When_vims_are_listed_by_a_health_that_does_not_exist_the_problem_names_health(string health)
    {
        using var response = await system.Api.GetAsync($"/api/v1/vims?health={health}");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(problem["errors"]!["health"]);
        Assert.Contains("healthy, unhealthy or unknown", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    async Task<(HttpStatusCode Status, JsonObject Body)> RegisterAsync(string name, object settings)
    {
        var body = JsonSerializer(settings);
        body["id"] = system.VimIdOf(name);
        using var response = await system.Api.PostAsJsonAsync("/api/v1/vims", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>() ?? [];
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"registering {name} answered {(int)response.StatusCode}: {answer}");
        return (response.StatusCode, answer);
    }

    static JsonObject JsonSerializer(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    /// <summary>The VIM's health once the background probe of its registration has recorded what it found.</summary>
    Task<JsonObject> HealthOnceProbedAsync(string id) =>
        Eventually.Get(async () => (await system.GetJsonAsync($"/api/v1/vims/{id}"))["health"]?.AsObject() ?? [],
            health => health["state"]?.GetValue<string>() is "healthy" or "unhealthy", Patience, $"the probe of VIM {id}");

    async Task<List<string>> IdsAsync(string path) =>
        (await system.GetJsonAsync(path))["vims"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).ToList();
}

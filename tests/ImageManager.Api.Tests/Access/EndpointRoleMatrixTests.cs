using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Api.Tests.Access;

/// <summary>
/// Every endpoint of the Api against every role, as real requests on a real Kestrel: without credentials 401, with a
/// role below the one the endpoint needs 403, with that role or one above it the request gets past access control
/// (what it answers then, with the services behind the Api not running, is 400, 404 or 503, never 401 or 403). What
/// describes the API (the OpenAPI document, the reference page) is open to anyone.
/// </summary>
public sealed class EndpointRoleMatrixTests(ApiApp app) : IClassFixture<ApiApp>
{
    const string AnyRole = "any role";

    /// <summary>Open without credentials: what describes the API, and holds no data.</summary>
    const string Anyone = "anyone";

    /// <summary>Open to anyone: the signed link in the query is the credential, and the handler answers 401 "Link refused" without one (as nginx's auth_request needs).</summary>
    const string SignedLink = "signed link";

    /// <summary>The matrix: method and route, and the least role that may call it.</summary>
    static readonly (string Method, string Route, string Needs)[] Matrix =
    [
        ("POST", "/api/v1/images", CallerRoles.Onboarder),
        ("GET", "/api/v1/images", CallerRoles.Viewer),
        ("GET", "/api/v1/images/{id:guid}", CallerRoles.Viewer),
        ("PATCH", "/api/v1/images/{id:guid}", CallerRoles.Onboarder),
        ("POST", "/api/v1/images/{id:guid}/deactivate", CallerRoles.Operator),
        ("POST", "/api/v1/images/{id:guid}/reactivate", CallerRoles.Operator),
        ("GET", "/api/v1/images/{id:guid}/locations", CallerRoles.Viewer),
        ("PUT", "/api/v1/images/{id:guid}/file", CallerRoles.Onboarder),
        ("DELETE", "/api/v1/images/{id:guid}", CallerRoles.Operator),
        ("DELETE", "/api/v1/images/{id:guid}/locations/{vimId}", CallerRoles.Operator),
        ("GET", "/api/v1/images/{id:guid}/file", CallerRoles.Viewer),
        ("POST", "/api/v1/images/{id:guid}/import", CallerRoles.Onboarder),
        ("HEAD", "/api/v1/images/{id:guid}/file", CallerRoles.Onboarder),
        ("PATCH", "/api/v1/images/{id:guid}/file", CallerRoles.Onboarder),
        ("POST", "/api/v1/certificates", CallerRoles.Admin),
        ("GET", "/api/v1/certificates", CallerRoles.Viewer),
        ("GET", "/api/v1/certificates/{id:guid}", CallerRoles.Viewer),
        ("POST", "/api/v1/vims", CallerRoles.Operator),
        ("GET", "/api/v1/vims", CallerRoles.Viewer),
        ("PUT", "/api/v1/vims", CallerRoles.Operator),
        ("POST", "/api/v1/vims/imports/aai", CallerRoles.Operator),
        ("GET", "/api/v1/vims/{id}", CallerRoles.Viewer),
        ("PATCH", "/api/v1/vims/{id}", CallerRoles.Operator),
        ("DELETE", "/api/v1/vims/{id}", CallerRoles.Operator),
        ("POST", "/api/v1/vims/{id}/probe", CallerRoles.Operator),
        ("GET", "/api/v1/vims/{id}/copies", CallerRoles.Operator),
        ("GET", "/api/v1/vims/{id}/images", CallerRoles.Viewer),
        ("GET", "/api/v1/images/counts", CallerRoles.Viewer),
        ("GET", "/api/v1/fleet/vims", CallerRoles.Viewer),
        ("GET", "/api/v1/fleet/activity", CallerRoles.Viewer),
        ("GET", "/api/v1/fleet/images/{imageId:guid}", CallerRoles.Viewer),
        ("GET", "/api/v1/fleet/images/{imageId:guid}/sites", CallerRoles.Viewer),
        ("GET", "/api/v1/hubs", CallerRoles.Viewer),
        ("GET", "/api/v1/hubs/{id}", CallerRoles.Viewer),
        ("PUT", "/api/v1/hubs/{id}", CallerRoles.Operator),
        ("DELETE", "/api/v1/hubs/{id}", CallerRoles.Operator),
        ("POST", "/api/v1/distributions", CallerRoles.Distributor),
        ("GET", "/api/v1/distributions", CallerRoles.Viewer),
        ("GET", "/api/v1/distributions/{id:guid}", CallerRoles.Viewer),
        ("POST", "/api/v1/distributions/{id:guid}/cancel", CallerRoles.Distributor),
        ("POST", "/api/v1/distributions/{id:guid}/retry", CallerRoles.Distributor),
        ("GET", "/api/v1/distributions/{id:guid}/events", CallerRoles.Viewer),
        ("POST", "/api/v1/removals", CallerRoles.Operator),
        ("POST", "/api/v1/recalls", CallerRoles.Operator),
        ("GET", "/api/v1/recalls", CallerRoles.Operator),
        ("GET", "/api/v1/recalls/{id:guid}", CallerRoles.Operator),
        ("GET", "/api/v1/recalls/{id:guid}/targets", CallerRoles.Operator),
        ("GET", "/api/v1/recalls/{id:guid}/events", CallerRoles.Operator),
        ("POST", "/api/v1/recalls/{id:guid}/retry", CallerRoles.Operator),
        ("GET", "/api/v1/distributions/{id:guid}/targets", CallerRoles.Viewer),
        ("GET", "/api/v1/distributions/{id:guid}/targets/{vimId}/receipt", CallerRoles.Viewer),
        ("GET", "/api/v1/receipts/keys", CallerRoles.Viewer),
        ("POST", "/api/v1/api-keys", CallerRoles.Admin),
        ("GET", "/api/v1/api-keys", CallerRoles.Admin),
        ("GET", "/api/v1/api-keys/{id}", CallerRoles.Admin),
        ("DELETE", "/api/v1/api-keys/{id}", CallerRoles.Admin),
        ("GET", "/api/v1/audit", CallerRoles.Admin),
        ("GET", "/api/v1/events/{topic}/{consumerGroup}/{consumerId}", CallerRoles.Viewer),
        ("POST", "/api/v1/subscriptions", CallerRoles.Viewer),
        ("GET", "/api/v1/subscriptions", CallerRoles.Viewer),
        ("GET", "/api/v1/subscriptions/{id:guid}", CallerRoles.Viewer),
        ("PATCH", "/api/v1/subscriptions/{id:guid}", CallerRoles.Viewer),
        ("DELETE", "/api/v1/subscriptions/{id:guid}", CallerRoles.Viewer),
        ("POST", "/api/v1/subscriptions/{id:guid}/resume", CallerRoles.Viewer),
        ("GET", "/api/v1/subscriptions/{id:guid}/deliveries", CallerRoles.Viewer),
        ("GET", "/api/v1/images/{id:guid}/file/link", SignedLink),
        ("GET", "/api/v1/openapi.json", Anyone),
        ("GET", "/api/v1/reference/{documentName?}", Anyone),
        ("GET", "/api/v1/reference/scalar.js", Anyone),
        ("GET", "/api/v1/reference/scalar.aspnetcore.js", Anyone),
        ("GET", "/api/v1/reference/favicon.svg", Anyone),
        ("GET", "/internal/v1/bus-traffic", AnyRole),
    ];

    /// <summary>Each row of the matrix with each caller: none, or one holding exactly one role.</summary>
    public static IEnumerable<object?[]> Cases() =>
        from row in Matrix
        from caller in new string?[] { null }.Concat(CallerRoles.All)
        select new object?[] { row.Method, row.Route, row.Needs, caller };

    [Fact]
    public void When_the_api_serves_its_endpoints_the_role_matrix_has_a_row_for_each_and_no_other()
    {
        var served = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .Where(e => !e.EndsWith("/healthz", StringComparison.Ordinal) && !e.EndsWith("/readyz", StringComparison.Ordinal))
            .Order()
            .ToList();

        Assert.Equal(Matrix.Select(r => $"{r.Method} {r.Route}").Order().ToList(), served);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task When_a_role_calls_an_endpoint_it_gets_past_access_control_or_is_refused_as_the_matrix_says(string method, string route, string needs, string? role)
    {
        using var client = app.CreateClient();
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.TokenIssuer.Token($"matrix-{role}", "tenant-a", [role]));
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(route));
        if (method is "POST" or "PUT" or "PATCH")
        {
            // Each with the media type the endpoint takes: a wrong one is answered 415 by routing, before access control.
            request.Content = new StringContent("{}", Encoding.UTF8, (method, route) switch
            {
                ("PUT", "/api/v1/images/{id:guid}/file") => "application/octet-stream",
                ("PATCH", "/api/v1/images/{id:guid}/file") => "application/offset+octet-stream",
                _ => "application/json",
            });
        }

        using var response = await client.SendAsync(request);

        if (needs == SignedLink)
        {
            var refused = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized && refused.Contains("Link refused", StringComparison.Ordinal),
                $"{method} {route} as {role ?? "nobody"} without a link: expected the handler's 401 'Link refused', got {(int)response.StatusCode} {refused}");
            return;
        }

        var expected = needs == Anyone ? (HttpStatusCode?)null
            : role is null ? HttpStatusCode.Unauthorized
            : needs == AnyRole || CallerRoles.Expand([role]).Contains(needs) ? (HttpStatusCode?)null
            : HttpStatusCode.Forbidden;
        var body = await response.Content.ReadAsStringAsync();
        if (expected is { } refusal)
        {
            Assert.True(response.StatusCode == refusal, $"{method} {route} as {role ?? "nobody"}: expected {(int)refusal}, got {(int)response.StatusCode} {body}");
            if (method != "HEAD")
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
        else
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{method} {route} as {role}: expected to get past access control, got {(int)response.StatusCode} {body}");
        }
    }

    static string Normalise(string route) => route.Length > 1 ? route.TrimEnd('/') : route;

    static string Concrete(string route) => route
        .Replace("{id:guid}", "0190a6c2-6d7e-7cc0-8000-000000000001", StringComparison.Ordinal)
        .Replace("{imageId:guid}", "0190a6c2-6d7e-7cc0-8000-000000000001", StringComparison.Ordinal)
        .Replace("{id}", "matrix_vim", StringComparison.Ordinal)
        .Replace("{documentName?}", "v1", StringComparison.Ordinal)
        // A topic that does not exist: answered (404) past access control, without a broker.
        .Replace("{topic}/{consumerGroup}/{consumerId}", "NO-SUCH-TOPIC/matrix/c1", StringComparison.Ordinal);
}

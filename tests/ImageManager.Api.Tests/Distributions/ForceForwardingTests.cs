using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ImageManager.Api.Tests.Distributions;

/// <summary>
/// <c>force: true</c> is an operator's override, decided by the Distribution service from the caller's roles: the Api must
/// pass the member and the caller's real roles through untouched (a Distribution service on 127.0.0.1 records what came).
/// </summary>
public sealed class ForceForwardingTests
{
    [Theory]
    [InlineData("distributor", false)]
    [InlineData("operator", true)]
    public async Task When_a_caller_asks_to_force_a_distribution_the_api_forwards_force_with_the_callers_roles(string role, bool isOperator)
    {
        var seen = new ConcurrentQueue<(string Roles, JsonObject Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var distribution = builder.Build();
        distribution.MapPost("/api/v1/distributions", async (HttpRequest request) =>
        {
            seen.Enqueue((request.Headers["X-Caller-Roles"].ToString(), (await request.ReadFromJsonAsync<JsonObject>())!));
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "force: true is for operators");
        });
        await distribution.StartAsync();
        var api = new ApiApp(("Downstream:Distribution", distribution.Urls.First() + "/"));
        try
        {
            await api.InitializeAsync();
            using var client = api.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.TokenIssuer.Token("noc-1", "noc", [role]));

            using var response = await client.PostAsJsonAsync("/api/v1/distributions", new { imageId = Guid.NewGuid(), vimIds = new[] { "att_dallas-1" }, force = true });

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var (roles, body) = Assert.Single(seen);
            Assert.True(body["force"]!.GetValue<bool>());
            var forwarded = CallerRoles.Expand(roles.Split(','));
            Assert.Equal((true, isOperator), (forwarded.Contains(role), forwarded.Contains(CallerRoles.Operator)));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ImageManager.Api.Tests.Downstream;

public sealed class DownstreamForwarderTests
{
    [Fact]
    public async Task When_the_balancer_in_front_of_a_service_answers_its_own_error_page_the_caller_gets_a_problem_naming_the_service()
    {
        // As HAProxy answers while no replica of the service passes its health check.
        await using var errorPage = await DistributionServiceAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>");
        });

        var (status, problem) = await AskAsync(errorPage, HttpMethod.Get);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("The distribution service cannot be reached; try again shortly.", problem!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.OK, 2)]
    [InlineData("POST", HttpStatusCode.ServiceUnavailable, 1)]
    public async Task When_a_service_fails_a_call_for_a_moment_a_read_is_asked_again_and_a_write_never(string method, HttpStatusCode answered, int calls)
    {
        // A replica or its database failing over: the first call gets a 503, the next would go through.
        var seen = 0;
        await using var failingOver = await DistributionServiceAsync(async context =>
        {
            var first = Interlocked.Increment(ref seen) == 1;
            context.Response.StatusCode = first ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            await context.Response.WriteAsJsonAsync(first ? new { detail = "The database is failing over." } : new { detail = "fine" },
                options: null, contentType: first ? "application/problem+json" : "application/json");
        });

        var (status, _) = await AskAsync(failingOver, new HttpMethod(method));

        Assert.Equal((answered, calls), (status, seen));
    }

    static async Task<WebApplication> DistributionServiceAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var service = builder.Build();
        service.Run(answer);
        await service.StartAsync();
        return service;
    }

    /// <summary>Asks the Api, whose Distribution service is <paramref name="service"/>, for a distribution (or to retry one).</summary>
    static async Task<(HttpStatusCode Status, JsonObject? Body)> AskAsync(WebApplication service, HttpMethod method)
    {
        var api = new ApiApp(("Downstream:Distribution", service.Urls.First() + "/"));
        try
        {
            await api.InitializeAsync();
            using var client = api.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", api.AdminKey);
            var id = Guid.NewGuid();
            using var request = new HttpRequestMessage(method, method == HttpMethod.Get ? $"/api/v1/distributions/{id}" : $"/api/v1/distributions/{id}/retry");
            using var response = await client.SendAsync(request);
            var body = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
                ? await response.Content.ReadFromJsonAsync<JsonObject>()
                : null;
            return (response.StatusCode, body);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}

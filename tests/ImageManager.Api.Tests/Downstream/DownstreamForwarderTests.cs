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
        var balancer = WebApplication.CreateSlimBuilder();
        balancer.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var errorPage = balancer.Build();
        errorPage.Run(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>");
        });
        await errorPage.StartAsync();
        var api = new ApiApp(("Downstream:Distribution", errorPage.Urls.First() + "/"));
        try
        {
            await api.InitializeAsync();
            using var client = api.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", api.AdminKey);

            using var response = await client.GetAsync($"/api/v1/distributions/{Guid.NewGuid()}");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("The distribution service cannot be reached; try again shortly.", problem["detail"]!.GetValue<string>());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}

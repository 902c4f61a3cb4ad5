using System.Text;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Api.Tests.Sanitising;

/// <summary>
/// The net under every service's validators: control characters in query parameters and route values, and NUL in a JSON
/// body, are refused with 400 naming where they are; the rest reaches the endpoint, body intact.
/// </summary>
public sealed class RequestTextCheckTests
{
    [Theory]
    [InlineData("?marker=a%00b", "marker")]
    [InlineData("?limit=10&region=edge%07", "region")]
    [InlineData("?tag=%C2%9B", "tag")]
    public async Task When_a_query_parameter_holds_a_control_character_it_is_refused_naming_it(string query, string field)
    {
        var (status, reached, problem, _) = await SendAsync(context => context.Request.QueryString = new QueryString(query));

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.NotNull(problem!["errors"]![field]);
        Assert.Contains(field, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_route_value_holds_a_control_character_it_is_refused_naming_it()
    {
        var (status, _, problem, _) = await SendAsync(context => context.Request.RouteValues["id"] = "vim\u0001one");

        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.NotNull(problem!["errors"]!["id"]);
    }

    [Theory]
    [InlineData("""{"region":"a\u0000b"}""", "region")]
    [InlineData("""{"imageId":"x","vimIds":["ok","a\u0000b"]}""", "vimIds[1]")]
    [InlineData("""{"selector":{"tags":["edge"],"region":"\u0000"}}""", "selector.region")]
    [InlineData("""[{"name":"ok"},{"name":"x\u0000"}]""", "[1].name")]
    [InlineData("""{"name":"\ud800"}""", "name")]
    public async Task When_a_json_body_holds_nul_it_is_refused_naming_the_member(string json, string field)
    {
        var (status, reached, problem, _) = await SendAsync(context => WithBody(context, json, "application/json; charset=utf-8"));

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.NotNull(problem!["errors"]![field]);
    }

    [Theory]
    [InlineData("""{"name":"bad\u0001name","description":"line\nbreak"}""", "application/json")]
    [InlineData("""{"region":"a\u0000b"}""", "application/octet-stream")]
    [InlineData("""{"unfinished":""", "application/merge-patch+json")]
    public async Task When_the_body_has_no_nul_or_is_not_json_it_reaches_the_endpoint_whole(string body, string contentType)
    {
        var (status, reached, _, seen) = await SendAsync(context => WithBody(context, body, contentType));

        Assert.True(reached);
        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal(body, seen);
    }

    static void WithBody(HttpContext context, string body, string contentType)
    {
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
    }

    static async Task<(int Status, bool Reached, JsonObject? Problem, string? Body)> SendAsync(Action<HttpContext> arrange)
    {
        var reached = false;
        string? body = null;
        var check = new RequestTextCheck(async context =>
        {
            reached = true;
            body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        });
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Path = "/api/v1/vims";
        context.Response.Body = new MemoryStream();
        arrange(context);

        await check.InvokeAsync(context);

        context.Response.Body.Position = 0;
        var answer = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, reached, answer.Length == 0 ? null : JsonNode.Parse(answer)!.AsObject(), body);
    }
}

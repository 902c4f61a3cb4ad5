using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ImageManager.VimSimulator;

/// <summary>201 with the token in <c>X-Subject-Token</c> and the token document in the body, as Keystone answers a login.</summary>
sealed class KeystoneTokenResult(string token, JsonObject document) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers["X-Subject-Token"] = token;
        return Results.Json(document, statusCode: StatusCodes.Status201Created).ExecuteAsync(httpContext);
    }
}

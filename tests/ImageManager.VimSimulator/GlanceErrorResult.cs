using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ImageManager.VimSimulator;

/// <summary>
/// An error as Glance (webob) answers it: a JSON document <c>{"message", "code", "title"}</c> to a client that accepts
/// JSON, else plain text.
/// </summary>
public sealed class GlanceErrorResult(int status, string detail) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var phrase = ReasonPhrases.GetReasonPhrase(status);
        var accept = httpContext.Request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            ? Results.Json(new JsonObject { ["message"] = $"{detail}<br /><br />\n\n\n", ["code"] = $"{status} {phrase}", ["title"] = phrase }, statusCode: status).ExecuteAsync(httpContext)
            : Results.Text($"{status} {phrase}\n\n{detail}\n\n", "text/plain", statusCode: status).ExecuteAsync(httpContext);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Cli.Connection;

/// <summary>
/// Turns a refusal of the Api into the exit code and the reason a person reads: the problem+json <c>title</c> and
/// <c>detail</c> (and the field errors, when there is no detail).
/// </summary>
public static class ApiProblem
{
    public static CliException ToException(HttpStatusCode status, string body)
    {
        var code = (int)status switch
        {
            404 => ExitCodes.NotFound,
            401 or 403 => ExitCodes.NotAuthorized,
            408 => ExitCodes.TimedOut,
            >= 400 and < 500 => ExitCodes.Refused,
            _ => ExitCodes.Unexpected,
        };
        return new CliException(code, Describe(status, body));
    }

    static string Describe(HttpStatusCode status, string body)
    {
        var reason = new StringBuilder();
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page, say): the status and the start of the body tell what there is.
        }

        var title = Text(problem?["title"]);
        var detail = Text(problem?["detail"]);
        reason.Append(title ?? $"The Api answered {(int)status} {status}");
        if (detail is not null)
        {
            reason.Append(": ").Append(detail);
        }
        else if (problem?["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                reason.Append(Environment.NewLine).Append("  ").Append(field).Append(": ")
                    .Append(messages is JsonArray list ? string.Join(" ", list.Select(Text)) : Text(messages));
            }
        }
        else if (problem is null && body.Length > 0)
        {
            reason.Append(": ").Append(body.Length > 300 ? body[..300] + "..." : body);
        }

        reason.Append($" (HTTP {(int)status})");
        return reason.ToString();
    }

    static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
}

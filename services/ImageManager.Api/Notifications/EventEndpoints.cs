using System.Globalization;
using System.Security.Claims;
using ImageManager.Api.Access;
using ImageManager.ServiceDefaults.Access;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Notifications;

/// <summary>
/// DMaaP Message Router style subscription: <c>GET /api/v1/events/{topic}/{consumerGroup}/{consumerId}?timeout=ms&amp;limit=n</c>
/// answers a JSON array of messages, each a CloudEvent as a JSON string (as DMaaP hands out what was posted to it).
/// Every consumer group receives every message once; the consumers of a group share them. A group exists from its
/// first poll on. Callers receive their tenant's notifications; operators every tenant's.
/// </summary>
public static class EventEndpoints
{
    const int DefaultLimit = 100;
    const int MaxLimit = 1000;
    const int DefaultTimeoutMs = 15_000;

    public static WebApplication MapEventEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/events/{topic}/{consumerGroup}/{consumerId}", PollAsync)
            .RequireAuthorization(CallerRoles.Viewer)
            .WithTags("Notifications").WithName("pollEvents")
            .WithSummary("Long-polls a topic (IMAGE-LIFECYCLE, IMAGE-DISTRIBUTION) for a consumer group: up to limit (1 to 1000, default 100) CloudEvents as JSON strings, waiting up to timeout ms (default 15000) for a first one.")
            .Produces<string[]>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<IResult> PollAsync(string topic, string consumerGroup, string consumerId, HttpContext http, ClaimsPrincipal user,
        NotificationBroker broker, IOptions<NotificationOptions> options, ILoggerFactory loggers, int? timeout = null, int? limit = null)
    {
        if (!NotificationTopics.All.Contains(topic, StringComparer.Ordinal))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such topic",
                detail: $"There is no topic '{topic}'; the topics are {string.Join(", ", NotificationTopics.All)}.");
        }

        var maxTimeoutMs = (int)options.Value.MaxPollTimeout.TotalMilliseconds;
        var errors = new Dictionary<string, string[]>();
        if (!TenantNames.IsValid(consumerGroup))
        {
            errors["consumerGroup"] = [$"consumerGroup is {TenantNames.Rule}."];
        }

        if (!TenantNames.IsValid(consumerId))
        {
            errors["consumerId"] = [$"consumerId is {TenantNames.Rule}."];
        }

        if (timeout is < 0 || timeout > maxTimeoutMs)
        {
            errors["timeout"] = [$"timeout is a whole number of milliseconds from 0 to {maxTimeoutMs.ToString(CultureInfo.InvariantCulture)}."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit is a whole number from 1 to {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        // Operators get every tenant's notifications; anyone else their own tenant's only.
        var tenant = user.IsInRole(CallerRoles.Operator) ? null : CallerPrincipal.TenantOf(user);
        var delivered = 0;
        await broker.PollAsync(topic, consumerGroup, tenant, limit ?? DefaultLimit, TimeSpan.FromMilliseconds(timeout ?? DefaultTimeoutMs), async messages =>
        {
            delivered = messages.Count;
            await http.Response.WriteAsJsonAsync(messages, http.RequestAborted);
            await http.Response.CompleteAsync();
        }, http.RequestAborted);
        loggers.CreateLogger(typeof(EventEndpoints)).LogDebug("{Count} messages of {Topic} to {Group}/{Consumer}", delivered, topic, consumerGroup, consumerId);
        return Results.Empty;
    }
}

using ImageManager.Api.Access;
using ImageManager.Contracts.Audit;
using MassTransit;

namespace ImageManager.Api.Audit;

/// <summary>
/// Every request that would change something (POST, PUT, PATCH, DELETE under <c>/api/v1</c>) is recorded once answered,
/// whatever the answer, refusals included: the Catalog keeps the records. Requests turned away before they reach
/// anything (429, 413) are not: recording them would let a flood fill the audit trail.
/// </summary>
public sealed class ChangeAuditMiddleware(RequestDelegate next, ILogger<ChangeAuditMiddleware> logger)
{
    static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context, IPublishEndpoint bus, TimeProvider clock)
    {
        if (!IsChange(context.Request))
        {
            await next(context);
            return;
        }

        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (status is not (StatusCodes.Status429TooManyRequests or StatusCodes.Status413PayloadTooLarge))
            {
                await RecordAsync(context, status, bus, clock);
            }
        }
    }

    async Task RecordAsync(HttpContext context, int status, IPublishEndpoint bus, TimeProvider clock)
    {
        var record = new ChangeAudited
        {
            AuditId = NewId.NextGuid(),
            At = clock.GetUtcNow(),
            Caller = CallerPrincipal.IdOf(context.User) ?? "anonymous",
            Tenant = CallerPrincipal.TenantOf(context.User),
            Action = AuditActions.Of(context.Request.Method, context.Request.Path),
            Method = context.Request.Method,
            Path = context.Request.Path.Value ?? "",
            ResourceId = ResourceIdOf(context),
            Source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            Status = status,
            Outcome = status switch
            {
                < 400 => "succeeded",
                StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "refused",
                < 500 => "rejected",
                _ => "failed",
            },
        };
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            await bus.Publish(record, timeout.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The change has happened (or not) and been answered; the record is what is lost, and the log says which.
            logger.LogError(exception, "Audit record {AuditId} ({Action} {Path} by {Caller}, {Status}) could not be published",
                record.AuditId, record.Action, record.Path, record.Caller, record.Status);
        }
    }

    static bool IsChange(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1") && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
                                                       || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    /// <summary>The id in the route, or the one a creation answered with (its <c>Location</c>).</summary>
    static string? ResourceIdOf(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue("id", out var id) && id is not null)
        {
            return id.ToString();
        }

        var location = context.Response.Headers.Location.ToString();
        return location.Length > 0 ? location[(location.TrimEnd('/').LastIndexOf('/') + 1)..] : null;
    }
}

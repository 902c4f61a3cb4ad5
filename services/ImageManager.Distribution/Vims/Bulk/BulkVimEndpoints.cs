using ImageManager.Contracts.Vims;
using System.Text.Json;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims.Bulk;

/// <summary><c>PUT /api/v1/vims</c>: the bulk upsert of VIM registrations (see <see cref="VimBulkUpsert"/>).</summary>
public static class BulkVimEndpoints
{
    /// <summary>Entries named in a refusal's detail; the rest are in its <c>errors</c>.</summary>
    const int DetailedErrors = 5;

    public static WebApplication MapBulkVimEndpoints(this WebApplication app)
    {
        // Behind the Api, which holds callers to its own limit (Protection:BulkVimBodyLimitBytes, at most 256 MiB): Kestrel's
        // default 30 MB must not refuse what the Api let through.
        app.MapPut("/api/v1/vims", UpsertAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(256 * 1024 * 1024));
        return app;
    }

    static async Task<IResult> UpsertAsync(
        HttpRequest http, VimBulkUpsert upsert, IOptions<JsonOptions> json, IOptions<DistributionOptions> options, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "The body is JSON (Content-Type: application/json): {\"vims\": [registration, ...]}.");
        }

        // Read here rather than bound, so that a member of the wrong type is named by its place (vims[3].limits.maxConcurrentUploads).
        BulkVimRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<BulkVimRequest>(http.Body, json.Value.SerializerOptions, cancellationToken);
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path[2..] : "body";
            var reason = $"{field} cannot be read: {OutsideText.Sanitise(exception.Message, 300)}";
            return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, detail: reason);
        }

        var errors = VimBulkUpsert.Validate(request, options.Value);
        if (errors.Count > 0)
        {
            return Refused(errors);
        }

        var outcome = await upsert.UpsertAsync([.. request!.Vims!.Select(v => v!)], cancellationToken);
        return outcome.Result is { } done ? Results.Ok(done) : Refused(outcome.Errors);
    }

    static IResult Refused(IReadOnlyDictionary<string, string[]> errors)
    {
        var detail = string.Join(" ", errors.Take(DetailedErrors).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        if (errors.Count > DetailedErrors)
        {
            detail += $" ({errors.Count - DetailedErrors} more in errors.)";
        }

        return Results.ValidationProblem(errors.ToDictionary(), detail: detail);
    }
}

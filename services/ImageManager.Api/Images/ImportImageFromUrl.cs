using ImageManager.Api.Downstream;
using ImageManager.Api.Imports;
using ImageManager.Contracts.Images;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Images;

/// <summary>
/// <c>POST /api/v1/images/{id}/import</c> with <c>{"method":"web-download","uri":...}</c>: checks the source against
/// the allowed schemes and hosts, then hands the download to <see cref="ImportImageConsumer"/> and answers 202.
/// The image stays <c>queued</c> until the bytes are in; a failure shows as its <c>importError</c>.
/// </summary>
public static class ImportImageFromUrl
{
    public const string WebDownload = "web-download";

    public static async Task<IResult> HandleAsync(
        Guid id, ImportRequest request, HttpContext http, CatalogClient catalog, ISendEndpointProvider send, IOptions<ImportOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Method != WebDownload)
        {
            errors["method"] = [$"method '{request.Method}' is not supported: use '{WebDownload}'."];
        }

        if (!Uri.TryCreate(request.Uri, UriKind.Absolute, out var uri))
        {
            errors["uri"] = ["uri is required: an absolute URL."];
        }
        else if (!options.Value.Allows(uri))
        {
            var schemes = options.Value.AllowedSchemes.Length == 0 ? "https" : string.Join(", ", options.Value.AllowedSchemes);
            var hosts = options.Value.AllowedHosts.Length == 0 ? "none configured" : string.Join(", ", options.Value.AllowedHosts);
            errors["uri"] = [$"{uri} is not an allowed import source (schemes: {schemes}; hosts: {hosts})."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var (_, problem) = await ImageUploadCompletion.FindQueuedAsync(id, http.User, catalog, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var endpoint = await send.GetSendEndpoint(ImportImageConsumerDefinition.Address);
        await endpoint.Send(new ImportImage { ImageId = id, Uri = uri!, RequestedAt = clock.GetUtcNow() }, cancellationToken);
        return Results.Accepted($"/api/v1/images/{id}", new ImportAcceptedResource(id, WebDownload, uri!, "queued"));
    }
}

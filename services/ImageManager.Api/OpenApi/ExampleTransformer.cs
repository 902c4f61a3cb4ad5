using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// Puts <see cref="ApiExamples"/> into the OpenAPI document: request and answer examples, beside the schemas the
/// endpoints declare (an example never replaces a schema).
/// </summary>
public sealed class ExampleTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var key = OperationKey.Of(context);
        if (!ApiExamples.ByOperation.TryGetValue(key, out var example))
        {
            return Task.CompletedTask;
        }

        if (example.Request is { } request)
        {
            var body = operation.RequestBody as OpenApiRequestBody ?? new OpenApiRequestBody { Required = true };
            operation.RequestBody = body;
            body.Content ??= new Dictionary<string, OpenApiMediaType>();
            if (body.Content.Count == 0)
            {
                body.Content["application/json"] = new OpenApiMediaType();
            }

            foreach (var mediaType in body.Content.Values)
            {
                mediaType.Example = JsonNode.Parse(request);
            }
        }

        operation.Responses ??= [];
        foreach (var (status, answer) in example.Responses)
        {
            if (!operation.Responses.TryGetValue(status, out var response))
            {
                response = new OpenApiResponse { Description = status.StartsWith('2') ? "Success" : "Problem" };
                operation.Responses[status] = response;
            }

            if (response is OpenApiResponse concrete)
            {
                concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
                var contentType = status.StartsWith('2') ? example.SuccessContentType ?? "application/json" : "application/problem+json";
                if (!concrete.Content.TryGetValue(contentType, out var mediaType))
                {
                    mediaType = new OpenApiMediaType();
                    concrete.Content[contentType] = mediaType;
                }

                mediaType.Example = contentType.EndsWith("json", StringComparison.Ordinal) ? JsonNode.Parse(answer) : JsonValue.Create(answer);
            }
        }

        return Task.CompletedTask;
    }
}

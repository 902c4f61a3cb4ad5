using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>Puts <see cref="ApiExamples"/> into the OpenAPI document: request and answer examples, and the list's query parameters.</summary>
public sealed partial class ExampleTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // The document's path, as ApiExplorer gives it without constraints ({id:guid} → {id}) or a trailing slash.
        var path = RouteConstraint().Replace(context.Description.RelativePath ?? "", "{$1}").TrimEnd('/');
        var key = $"{context.Description.HttpMethod} /{path}";
        if (key == "GET /api/v1/images")
        {
            operation.Parameters ??= [];
            foreach (var (name, description) in ApiExamples.ListParameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }

        if (!ApiExamples.ByOperation.TryGetValue(key, out var example))
        {
            return Task.CompletedTask;
        }

        if (example.Request is { } request)
        {
            var mediaType = key == "PATCH /api/v1/images/{id}" ? "application/merge-patch+json" : "application/json";
            operation.RequestBody ??= new OpenApiRequestBody { Required = true };
            if (operation.RequestBody is OpenApiRequestBody body)
            {
                body.Content ??= new Dictionary<string, OpenApiMediaType>();
                body.Content[mediaType] = new OpenApiMediaType { Example = JsonNode.Parse(request) };
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
                concrete.Content[contentType] = new OpenApiMediaType { Example = contentType.EndsWith("json", StringComparison.Ordinal) ? JsonNode.Parse(answer) : JsonValue.Create(answer) };
            }
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex RouteConstraint();
}

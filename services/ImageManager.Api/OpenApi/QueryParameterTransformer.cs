using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>Declares the query and header parameters of forwarded operations (<see cref="ApiQueryParameters"/>) that the handler does not bind.</summary>
public sealed class QueryParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!ApiQueryParameters.ByOperation.TryGetValue(OperationKey.Of(context), out var parameters))
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        foreach (var parameter in parameters.Where(p => !operation.Parameters.Any(d => d.Name == p.Name && d.In == p.In)))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.In,
                Required = parameter.Required,
                Description = parameter.Description,
                Schema = new OpenApiSchema { Type = parameter.Type, Format = parameter.Format },
            });
        }

        return Task.CompletedTask;
    }
}

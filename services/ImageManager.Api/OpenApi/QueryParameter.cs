using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>A query or header parameter of a forwarded operation, which the Api's handler does not bind and so does not describe by itself.</summary>
public sealed record QueryParameter(string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, string? Format = null,
    ParameterLocation In = ParameterLocation.Query, bool Required = false);

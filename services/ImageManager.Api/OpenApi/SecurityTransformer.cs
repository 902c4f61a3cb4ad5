using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// Declares how callers authenticate (an API key or a token as a bearer, or an API key in <c>X-Api-Key</c>) for the
/// whole document, and names on each operation the least role it needs, as the authorization policies say.
/// </summary>
public sealed class SecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    const string Bearer = "bearer";
    const string ApiKeyHeader = "apiKeyHeader";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "API key (imk_…) or JWT",
            Description = "An API key (POST /api/v1/api-keys) or a JWT from a configured issuer, as 'Authorization: Bearer …'.",
        };
        document.Components.SecuritySchemes[ApiKeyHeader] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An API key, for clients that cannot set the Authorization header.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeader, document)] = [] });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var role = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        var note = role is not null
            ? $"Needs the role '{role}' or one that includes it."
            : metadata.OfType<IAllowAnonymous>().Any() ? "Checks access itself (see the description)." : "Needs any authenticated caller.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? note : $"{operation.Description}\n\n{note}";
        return Task.CompletedTask;
    }
}

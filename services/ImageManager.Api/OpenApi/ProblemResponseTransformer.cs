using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// The error answers every operation can give besides its own, each as <c>application/problem+json</c> with the problem
/// schema: 401 and 403 (access control), 404 for a path that names something, 413 and 415 for a body, 429 (the rate
/// limit) and 503 (a service behind the Api that cannot be reached). Any error answer declared without a schema (an
/// example only) gets the problem schema too; 400 gets the validation problem, whose <c>errors</c> name the fields.
/// </summary>
public sealed class ProblemResponseTransformer : IOpenApiOperationTransformer
{
    const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var hasBody = operation.RequestBody is not null;
        var names = (context.Description.RelativePath ?? "").Contains('{', StringComparison.Ordinal);

        operation.Responses ??= [];
        Add(operation, "401", anonymous
            ? "Credentials were presented and are not valid (without credentials, a signed link is needed)."
            : "No credentials, or credentials that are not valid (unknown, expired or revoked key; a token that does not verify).");
        Add(operation, "403", "The caller's role does not allow this, or the resource belongs to another tenant.");
        if (names)
        {
            Add(operation, "404", "There is no such resource, or the caller may not see it.");
        }

        if (hasBody)
        {
            Add(operation, "400", "The request is not valid; errors names each field and says what is expected.");
            Add(operation, "413", "The body is larger than this operation takes.");
            Add(operation, "415", "The body is not of a content type this operation takes.");
        }

        Add(operation, "429", "Too many requests from this caller; try again after Retry-After seconds.");
        Add(operation, "503", "A service behind the Api cannot be reached; try again shortly.");

        foreach (var (status, answer) in operation.Responses)
        {
            if (status.Length == 3 && status[0] is '4' or '5' && answer is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                if (!response.Content.TryGetValue(ProblemJson, out var problem))
                {
                    problem = new OpenApiMediaType();
                    response.Content[ProblemJson] = problem;
                }

                problem.Schema ??= await ReferenceAsync(context, status == "400" ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), cancellationToken);
            }
        }
    }

    static void Add(OpenApiOperation operation, string status, string description)
    {
        if (!operation.Responses!.ContainsKey(status))
        {
            operation.Responses[status] = new OpenApiResponse { Description = description };
        }
    }

    /// <summary>A reference to the component schema of <paramref name="type"/>, made the first time it is needed.</summary>
    static async Task<IOpenApiSchema> ReferenceAsync(OpenApiOperationTransformerContext context, Type type, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("An operation is transformed within its document.");
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }
}

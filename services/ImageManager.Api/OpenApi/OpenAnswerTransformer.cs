using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// Request bodies are held to their members (a member the request does not have is refused by name), and their schemas
/// say so with <c>additionalProperties: false</c>, which the generator writes for every type since the services refuse
/// unknown members. Answers are not closed: a later version may add members to them, and a client that validates
/// answers must not take that as a break. So the schemas that no request body uses lose the <c>false</c>.
/// </summary>
public sealed class OpenAnswerTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return Task.CompletedTask;
        }

        var inRequests = new HashSet<string>(StringComparer.Ordinal);
        var requestBodies = (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).Select(operation => operation.RequestBody);
        foreach (var media in requestBodies.SelectMany(body => body?.Content?.Values ?? []))
        {
            Collect(media.Schema, schemas, inRequests);
        }

        foreach (var (name, schema) in schemas)
        {
            if (!inRequests.Contains(name) && schema is OpenApiSchema { AdditionalPropertiesAllowed: false } answer)
            {
                answer.AdditionalPropertiesAllowed = true;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The component schemas <paramref name="schema"/> uses, itself included when it is one, into <paramref name="used"/>.</summary>
    static void Collect(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema> schemas, HashSet<string> used)
    {
        if (schema is OpenApiSchemaReference { Reference.Id: { } id })
        {
            if (used.Add(id) && schemas.TryGetValue(id, out var target))
            {
                Collect(target, schemas, used);
            }

            return;
        }

        if (schema is null)
        {
            return;
        }

        var parts = (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])
            .Append(schema.Items).Append(schema.AdditionalProperties);
        foreach (var part in parts)
        {
            Collect(part, schemas, used);
        }
    }
}

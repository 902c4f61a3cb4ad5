using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// Declares every parameter of an operation's path. Most routes are forwarded whole to the service that owns the data, so
/// their handlers bind no <c>{id}</c> and the generator would leave it out; it is declared here from the route itself, a
/// <c>guid</c> constraint as a string of format <c>uuid</c>.
/// </summary>
public sealed partial class PathParameterTransformer : IOpenApiOperationTransformer
{
    /// <summary>What a path parameter is, by the collection it is in (the segment after <c>/api/v1/</c>) and its name.</summary>
    static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["images id"] = "The image's id.",
        ["images vimId"] = "The VIM's id.",
        ["certificates id"] = "The certificate's id.",
        ["vims id"] = "The VIM's id, e.g. att_dallas-1 ({cloud-owner}_{cloud-region-id}).",
        ["distributions id"] = "The distribution's (or removal's) id.",
        ["api-keys id"] = "The API key's id (the part of the key after imk_ and before the next _).",
        ["subscriptions id"] = "The subscription's id.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = context.Description.RelativePath ?? "";
        var collection = route.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2).FirstOrDefault() ?? "";
        foreach (Match match in RouteParameter().Matches(route))
        {
            var name = match.Groups["name"].Value;
            var isGuid = match.Groups["constraint"].Value.Split(':').Contains("guid", StringComparer.OrdinalIgnoreCase);
            operation.Parameters ??= [];
            var declared = operation.Parameters.FirstOrDefault(p => p.In == ParameterLocation.Path && p.Name == name);
            if (declared is null)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Path,
                    Required = true,
                    Description = Descriptions.GetValueOrDefault($"{collection} {name}"),
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = isGuid ? "uuid" : null },
                });
            }
            else if (declared is OpenApiParameter bound && bound.Description is null)
            {
                bound.Description = Descriptions.GetValueOrDefault($"{collection} {name}");
            }
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{(?<name>\w+)(?<constraint>(:[^}]+)?)\}")]
    private static partial Regex RouteParameter();
}

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>An operation as the tables of this folder name it: method and path, e.g. <c>GET /api/v1/images/{id}</c>.</summary>
public static partial class OperationKey
{
    /// <summary>The document's path, as ApiExplorer gives it without constraints (<c>{id:guid}</c> → <c>{id}</c>) or a trailing slash.</summary>
    public static string Of(OpenApiOperationTransformerContext context) =>
        $"{context.Description.HttpMethod} /{RouteConstraint().Replace(context.Description.RelativePath ?? "", "{$1}").TrimEnd('/')}";

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex RouteConstraint();
}

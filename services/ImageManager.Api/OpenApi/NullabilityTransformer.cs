using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// A dictionary or list whose values may be null says so (a merge patch removes an image property by setting it to
/// null): the generator reads the member's own nullability, not that of its type's arguments. (That a member which may
/// be null is not required is said by <see cref="ApiDocumentTransformer"/>, once the schemas are complete.)
/// </summary>
public sealed class NullabilityTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo?.AttributeProvider is PropertyInfo member)
        {
            // Not thread-safe, and cheap: one per member.
            var nullability = new NullabilityInfoContext().Create(member);
            if (schema.AdditionalProperties is OpenApiSchema values && nullability.GenericTypeArguments is [_, { ReadState: NullabilityState.Nullable }])
            {
                values.Type |= JsonSchemaType.Null;
            }

            if (schema.Items is OpenApiSchema items && nullability.GenericTypeArguments is [{ ReadState: NullabilityState.Nullable }])
            {
                items.Type |= JsonSchemaType.Null;
            }
        }

        return Task.CompletedTask;
    }
}

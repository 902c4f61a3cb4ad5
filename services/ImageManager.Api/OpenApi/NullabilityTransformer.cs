using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// What the schemas say about null. A member that may be null is never required: the Catalog leaves null members out of
/// its answers, the other services write them as null, so a client must take both. A dictionary or list whose values
/// may be null says so (a merge patch removes an image property by setting it to null).
/// </summary>
public sealed class NullabilityTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (MayBeNull(property))
                {
                    required.Remove(name);
                }
            }
        }

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

    static bool MayBeNull(IOpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.Null) == true
        || schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true
        || schema.AnyOf?.Any(s => s.Type == JsonSchemaType.Null) == true;
}

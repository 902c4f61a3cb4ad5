namespace ImageManager.OpenApi.Tests;

/// <summary>The OpenAPI tests share one running system; starting it is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class OpenApiCollection : ICollectionFixture<OpenApiSystem>
{
    public const string Name = "openapi";
}

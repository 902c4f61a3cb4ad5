
namespace ImageManager.EndToEnd.Tests;

/// <summary>All end-to-end tests share one running system; starting it is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}

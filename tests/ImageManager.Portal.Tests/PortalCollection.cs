namespace ImageManager.Portal.Tests;

/// <summary>All portal tests share one running system and one browser; starting them is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}

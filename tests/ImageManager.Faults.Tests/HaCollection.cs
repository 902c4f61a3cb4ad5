namespace ImageManager.Faults.Tests;

/// <summary>The highly available system, broken one node or replica at a time.</summary>
[CollectionDefinition(Name)]
public sealed class HaCollection : ICollectionFixture<HaSystemFixture>
{
    public const string Name = "high-availability";
}

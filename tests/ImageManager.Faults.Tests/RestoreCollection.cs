namespace ImageManager.Faults.Tests;

/// <summary>The restore drills share one system, which they stop, wipe and restore: one at a time, on a virtual host of their own.</summary>
[CollectionDefinition(Name)]
public sealed class RestoreCollection : ICollectionFixture<RestoreDrillSystem>
{
    public const string Name = "restore";
}

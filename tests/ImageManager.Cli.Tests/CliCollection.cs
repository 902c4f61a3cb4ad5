namespace ImageManager.Cli.Tests;

/// <summary>All CLI tests share one running system; starting it is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliSystemFixture>
{
    public const string Name = "cli";
}

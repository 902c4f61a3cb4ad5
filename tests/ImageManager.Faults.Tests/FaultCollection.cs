namespace ImageManager.Faults.Tests;

/// <summary>
/// The fault tests share one system, on a broker of its own, and run one after another: each breaks something the
/// others need whole (the Distribution service, the broker).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultSystemFixture>
{
    public const string Name = "faults";
}

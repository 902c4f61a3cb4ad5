namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>The system clock moved forward by the test: token lifetimes pass without waiting.</summary>
public sealed class ManualClock : TimeProvider
{
    TimeSpan _ahead;

    public void Advance(TimeSpan by) => _ahead += by;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _ahead;
}

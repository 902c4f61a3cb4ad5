namespace ImageManager.BlobStorage.Tests;

/// <summary>The system clock moved by <see cref="Shift"/>: a sweep sees uploads as old as the test wants.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
}

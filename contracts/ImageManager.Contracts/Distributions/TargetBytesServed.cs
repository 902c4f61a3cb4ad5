namespace ImageManager.Contracts.Distributions;

/// <summary>
/// The Api served image bytes to VIMs that pull (Glance web-download follows a signed link that names its target): for
/// each target whose download moved since the last report, how far it has read. One message per Api replica and second
/// at most, however many VIMs are downloading, so that the Distribution writes them in one statement.
/// </summary>
public record TargetBytesServed
{
    public required IReadOnlyList<TargetBytes> Targets { get; init; }
}

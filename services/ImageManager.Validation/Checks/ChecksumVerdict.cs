namespace ImageManager.Validation.Checks;

/// <summary>The result of the checksum check: passed, or the reason it did not.</summary>
public sealed record ChecksumVerdict(bool Passed, string? Reason)
{
    public static ChecksumVerdict Pass { get; } = new(true, null);

    public static ChecksumVerdict Fail(string reason) => new(false, reason);
}

namespace ImageManager.Validation.Checks;

/// <summary>The result of the checksum check: passed with the SHA-512 it measured, or the reason it did not.</summary>
public sealed record ChecksumVerdict(bool Passed, string? Reason, string? Sha512)
{
    public static ChecksumVerdict Pass(string sha512) => new(true, null, sha512);

    public static ChecksumVerdict Fail(string reason) => new(false, reason, null);
}

namespace ImageManager.Validation.Signatures;

/// <summary>Whether a certificate is trusted: why not (<see cref="Failure"/>), or the trust-store authority its chain ends at.</summary>
public sealed record TrustVerdict(string? Failure, string? AuthoritySha256Fingerprint)
{
    public static TrustVerdict Fail(string failure) => new(failure, null);
}

namespace ImageManager.Contracts.Certificates;

/// <summary>One entry of a revocation list in the trust store: the certificate its issuer revoked.</summary>
public record RevokedCertificate
{
    /// <summary>The revoking issuer's distinguished name, as .NET formats it (<c>X500DistinguishedName.Name</c>).</summary>
    public required string Issuer { get; init; }

    /// <summary>The revoked certificate's serial number, upper-case hexadecimal without separators.</summary>
    public required string SerialNumber { get; init; }

    public required DateTimeOffset RevokedAt { get; init; }

    /// <summary>The list's reason code by name (e.g. <c>keyCompromise</c>), when it gives one.</summary>
    public string? Reason { get; init; }
}

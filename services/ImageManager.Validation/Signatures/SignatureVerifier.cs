using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// Verifies a Glance-style signature over a stored blob, and the signing certificate against the configured trust
/// store (<see cref="CertificateTrust"/>: chain, validity dates, digital-signature key usage, revocation lists). Fails
/// closed: anything it cannot establish is a failure, with the reason.
/// </summary>
public sealed class SignatureVerifier(CertificateTrust trust)
{
    /// <summary>Hash methods accepted, as Glance names them. SHA-224 is Glance's too but .NET has no SHA-224: refused by name.</summary>
    public static readonly string[] HashMethods = ["SHA-256", "SHA-384", "SHA-512"];

    /// <summary>Key types accepted, as Glance names them (the binary-field SECT curves are not available here).</summary>
    public static readonly string[] KeyTypes = ["RSA-PSS", "ECC_SECP256R1", "ECC_SECP384R1", "ECC_SECP521R1"];

    /// <summary>Why the signature does not hold over <paramref name="content"/>, or <c>null</c> when it does.</summary>
    public async Task<string?> FailureAsync(DeclaredSignature signature, Stream content, CancellationToken cancellationToken) =>
        (await VerifyAsync(signature, algorithm => HashAsync(content, algorithm, cancellationToken))).Failure;

    /// <summary>
    /// The signer when the signature holds, or why it does not; <paramref name="digestOf"/> gives the image data's
    /// digest with the signature's hash algorithm (a caller that already knows it spares a read of the bytes).
    /// </summary>
    public async Task<SignatureVerdict> VerifyAsync(DeclaredSignature signature, Func<HashAlgorithmName, Task<byte[]>> digestOf)
    {
        if (!HashMethods.Contains(signature.HashMethod))
        {
            return SignatureVerdict.Fail($"Signature hash method '{signature.HashMethod}' is not supported: one of {string.Join(", ", HashMethods)}.");
        }

        if (!KeyTypes.Contains(signature.KeyType))
        {
            return SignatureVerdict.Fail($"Signature key type '{signature.KeyType}' is not supported: one of {string.Join(", ", KeyTypes)}.");
        }

        byte[] signatureBytes;
        X509Certificate2 certificate;
        try
        {
            if (string.IsNullOrWhiteSpace(signature.CertificatePem))
            {
                return SignatureVerdict.Fail("The signature has no certificate to verify it with.");
            }

            signatureBytes = Convert.FromBase64String(signature.Value);
            certificate = X509Certificate2.CreateFromPem(signature.CertificatePem);
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException or ArgumentException)
        {
            return SignatureVerdict.Fail($"The signature or its certificate cannot be read: {exception.Message}");
        }

        using (certificate)
        {
            var trusted = await trust.VerifyAsync(certificate);
            if (trusted.Failure is { } untrusted)
            {
                return SignatureVerdict.Fail(untrusted);
            }

            var algorithm = new HashAlgorithmName(signature.HashMethod.Replace("-", "", StringComparison.Ordinal));
            var digest = await digestOf(algorithm);
            var valid = signature.KeyType == "RSA-PSS"
                ? VerifyRsaPss(certificate, digest, signatureBytes, algorithm)
                : VerifyEcdsa(certificate, digest, signatureBytes, signature.KeyType);
            return valid switch
            {
                true => SignatureVerdict.Verified(CertificateIdentifiers.Signer(certificate, trusted.AuthoritySha256Fingerprint!)),
                false => SignatureVerdict.Fail(
                    $"The signature does not match the image data ({signature.KeyType}, {signature.HashMethod}, certificate {CertificateIdentifiers.Name(certificate.SubjectName)})."),
                null => SignatureVerdict.Fail($"The certificate's key is not a {signature.KeyType} key."),
            };
        }
    }

    /// <summary>The digest of a stream's bytes with <paramref name="algorithm"/>, read once in 1 MiB pieces.</summary>
    public static async Task<byte[]> HashAsync(Stream content, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return hash.GetHashAndReset();
    }

    static bool? VerifyRsaPss(X509Certificate2 certificate, byte[] digest, byte[] signature, HashAlgorithmName algorithm)
    {
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is null ? null : RsaPssVerification.Verify(rsa.ExportParameters(false), digest, signature, algorithm);
    }

    static bool? VerifyEcdsa(X509Certificate2 certificate, byte[] digest, byte[] signature, string keyType)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is null)
        {
            return null;
        }

        var curve = ecdsa.ExportParameters(false).Curve;
        var expected = keyType switch
        {
            "ECC_SECP256R1" => ECCurve.NamedCurves.nistP256.Oid.Value,
            "ECC_SECP384R1" => ECCurve.NamedCurves.nistP384.Oid.Value,
            _ => ECCurve.NamedCurves.nistP521.Oid.Value,
        };
        if (curve.Oid.Value != expected)
        {
            return null;
        }

        // Glance's signers (python cryptography) write DER-encoded ECDSA signatures.
        return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Decides whether an image's declared (Glance-style) signature holds, and whether an unsigned image may pass
/// (<see cref="SignaturePolicy"/>). An unsigned software package is decided later, by <see cref="PackageCheck"/>: a
/// CSAR may carry its own SOL004 signature. An unsigned image taken from a package is vouched for by the package's
/// manifest, and the package itself went through this policy; its signer is the package's, whose certificate the
/// catalogue hands back (<see cref="ImageUploaded.PackageSignedBy"/>) and which must still be trusted now.
/// </summary>
public sealed class SignatureCheck(SignatureVerifier verifier, SignaturePolicy policy, CertificateTrust trust, IBlobStore blobs)
{
    /// <summary>The signer when a signature was verified; why the image fails the signature policy; or neither (unsigned and allowed).</summary>
    public async Task<SignatureVerdict> VerifyAsync(ImageUploaded upload, string sha512, CancellationToken cancellationToken)
    {
        if (upload.Signature is not null)
        {
            return await verifier.VerifyAsync(upload.Signature, algorithm => DigestAsync(upload, sha512, algorithm, cancellationToken));
        }

        if (upload.PackageId is not null && upload.PackageSignedBy is { } packageSigner)
        {
            return await PackageSignerAsync(packageSigner, cancellationToken);
        }

        if (upload.PackageId is not null || upload.Kind == ImageKinds.SoftwarePackage)
        {
            return new SignatureVerdict(null, null);
        }

        return policy.UnsignedFailure("image", upload.Vendor) is { } failure ? SignatureVerdict.Fail(failure) : new SignatureVerdict(null, null);
    }

    /// <summary>The package's signer, when its certificate is still trusted (not revoked since, its authority still in the store).</summary>
    async Task<SignatureVerdict> PackageSignerAsync(ImageSigner signer, CancellationToken cancellationToken)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(signer.CertificatePem);
        }
        catch (CryptographicException exception)
        {
            return SignatureVerdict.Fail($"The certificate of the package's signer cannot be read: {exception.Message}");
        }

        using (certificate)
        {
            var trusted = await trust.VerifyAsync(certificate, cancellationToken: cancellationToken);
            return trusted.Failure is { } failure
                ? SignatureVerdict.Fail($"The package's signer is no longer trusted: {failure}")
                : SignatureVerdict.Verified(CertificateIdentifiers.Signer(certificate, trusted.AuthoritySha256Fingerprint!));
        }
    }

    /// <summary>
    /// SHA-256 and SHA-512 of the bytes are already known: the checksum check, which runs first, proved the upload's
    /// digests against the stored blob. Only another algorithm costs a read.
    /// </summary>
    async Task<byte[]> DigestAsync(ImageUploaded upload, string sha512, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        if (algorithm == HashAlgorithmName.SHA256)
        {
            return Convert.FromHexString(upload.Sha256);
        }

        if (algorithm == HashAlgorithmName.SHA512)
        {
            return Convert.FromHexString(sha512);
        }

        await using var content = await blobs.OpenReadAsync(upload.Sha256, cancellationToken)
            ?? throw new InvalidOperationException("The uploaded bytes are missing from the blob store.");
        return await SignatureVerifier.HashAsync(content, algorithm, cancellationToken);
    }
}

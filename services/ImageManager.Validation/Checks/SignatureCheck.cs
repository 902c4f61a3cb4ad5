using System.Security.Cryptography;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Signatures;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Decides whether an image's signature holds, and whether an unsigned image may pass: an operator can require
/// signatures for every image or for named vendors. An unsigned image taken from a package is vouched for by the
/// package's manifest, and the package itself went through this policy.
/// </summary>
public sealed class SignatureCheck(SignatureVerifier verifier, IBlobStore blobs, IOptions<SignatureOptions> options)
{
    /// <summary>Why the image fails the signature policy, or <c>null</c> when it passes.</summary>
    public async Task<string?> FailureAsync(ImageUploaded upload, string sha512, CancellationToken cancellationToken)
    {
        if (upload.Signature is null && upload.PackageId is not null)
        {
            return null;
        }

        if (upload.Signature is null)
        {
            var policy = options.Value;
            if (policy.Required)
            {
                return "The image is not signed, and every image must be.";
            }

            return upload.Vendor is { } vendor && policy.RequiredForVendors.Contains(vendor, StringComparer.OrdinalIgnoreCase)
                ? $"The image is not signed, and images of vendor '{vendor}' must be."
                : null;
        }

        return await verifier.FailureAsync(upload.Signature, algorithm => DigestAsync(upload, sha512, algorithm, cancellationToken));
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

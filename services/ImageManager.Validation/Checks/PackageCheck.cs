using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Packages;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Inspects the stored bytes of a software package (see <see cref="PackageInspector"/>): what they really are, and
/// whether every archive among them is safe to unpack; a CSAR's SOL004 signatures (<see cref="CsarSignatureVerifier"/>);
/// then whether an unsigned package may pass (<see cref="SignaturePolicy"/>, the vendor being the upload's or the one
/// the CSAR's manifest names). Reads the whole blob once, in a stream; a CSAR's disk images are
/// then read once more, to store them as images of their own (see <see cref="CsarImageExtractor"/>).
/// </summary>
public sealed class PackageCheck(IBlobStore blobs, PackageInspector inspector, CsarImageExtractor extractor, CsarSignatureVerifier csarSignatures, SignaturePolicy policy)
{
    /// <summary>Checks the package; <paramref name="signer"/> is who signed the upload (its declared signature), if anyone.</summary>
    public async Task<PackageVerdict> RunAsync(ImageUploaded upload, ImageSigner? signer, CancellationToken cancellationToken)
    {
        await using var content = await blobs.OpenReadAsync(upload.Sha256, cancellationToken);
        if (content is null)
        {
            return PackageVerdict.Fail($"The uploaded bytes (sha256 {upload.Sha256}) are missing from the blob store.");
        }

        var inspection = await inspector.InspectAsync(content, cancellationToken);
        if (!inspection.Acceptable)
        {
            return PackageVerdict.Fail($"The software package ({inspection.Type}) was refused: {inspection.Problem}.", inspection.Type);
        }

        if (inspection.Csar is { } csar)
        {
            var sol004 = csarSignatures.Verify(csar, upload.Signature?.CertificatePem);
            if (sol004.Failure is { } failure)
            {
                return PackageVerdict.Fail($"The software package ({inspection.Type}) was refused: {failure.TrimEnd('.')}.", inspection.Type);
            }

            // A declared signature over the package's bytes vouches for all of it; else the manifest's signer does.
            signer ??= sol004.Signer;
        }

        if (signer is null && policy.UnsignedFailure("package", upload.Vendor, inspection.Csar?.Vendor) is { } unsigned)
        {
            return PackageVerdict.Fail(unsigned, inspection.Type);
        }

        var extraction = await extractor.ExtractAsync(content, inspection.Images, cancellationToken);
        return extraction.Problem is null
            ? PackageVerdict.Pass(inspection.Type, extraction.Images, signer)
            : PackageVerdict.Fail($"The software package ({inspection.Type}) was refused: {extraction.Problem}", inspection.Type);
    }
}

using System.IO.Compression;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Formats;
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

        if (inspection.SignedCsar is { } outer)
        {
            return await RunSignedCsarAsync(upload, signer, content, outer, cancellationToken);
        }

        return await RunInspectedAsync(upload, signer, content, inspection, cancellationToken);
    }

    /// <summary>
    /// SOL004's second option: the zip's CMS signature over the CSAR inside is verified, then the CSAR itself, stored as a
    /// blob of its own for the while (it must be seekable), is checked as any CSAR; the zip's signer is the package's.
    /// </summary>
    async Task<PackageVerdict> RunSignedCsarAsync(ImageUploaded upload, ImageSigner? signer, Stream content, CsarLayout outer, CancellationToken cancellationToken)
    {
        var csarPath = outer.SignedCsarPath!;
        var outerSignature = await csarSignatures.VerifySignedCsarAsync(outer, csarPath, cancellationToken);
        if (outerSignature.Failure is { } failure)
        {
            return PackageVerdict.Fail($"The software package ({PackageTypes.Csar}) was refused: {failure.TrimEnd('.')}.", PackageTypes.Csar);
        }

        var (sha256, _) = outer.Digests(csarPath)!.Value;
        var stored = await blobs.ExistsAsync(sha256, cancellationToken);
        try
        {
            if (!stored)
            {
                content.Position = 0;
                await using var zip = await ZipArchive.CreateAsync(content, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
                await using var entry = await zip.GetEntry(csarPath)!.OpenAsync(cancellationToken);
                await blobs.PutAsync(entry, cancellationToken);
            }

            await using var inner = await blobs.OpenReadAsync(sha256, cancellationToken);
            var inspection = inner is null ? null : await inspector.InspectAsync(inner, cancellationToken);
            if (inspection is null || inspection.Type != PackageTypes.Csar || !inspection.Acceptable)
            {
                return PackageVerdict.Fail(
                    $"The software package ({PackageTypes.Csar}) was refused: the signed {ReasonText.Quote(csarPath)} is not a valid CSAR ({inspection?.Problem ?? inspection?.Type ?? "unreadable"}).",
                    PackageTypes.Csar);
            }

            return await RunInspectedAsync(upload, signer ?? outerSignature.Signer, inner!, inspection, cancellationToken);
        }
        finally
        {
            if (!stored)
            {
                await blobs.DeleteAsync(sha256, CancellationToken.None); // the CSAR's images are blobs of their own; the copy was only for reading
            }
        }
    }

    async Task<PackageVerdict> RunInspectedAsync(ImageUploaded upload, ImageSigner? signer, Stream content, PackageInspection inspection, CancellationToken cancellationToken)
    {
        if (inspection.Csar is { } csar)
        {
            var sol004 = await csarSignatures.VerifyAsync(csar, upload.Signature?.CertificatePem, cancellationToken);
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

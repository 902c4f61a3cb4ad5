using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Inspects the stored bytes of a VM image: their real disk format must be the declared one, and safe for a VIM to
/// open. Reads only header regions, so it costs the same for a 100 MiB and a 100 GiB image.
/// </summary>
public sealed class FormatCheck(IBlobStore blobs, DiskImageInspector inspector)
{
    public async Task<FormatVerdict> RunAsync(ImageUploaded upload, CancellationToken cancellationToken)
    {
        if (upload.Kind != ImageKinds.VmImage)
        {
            return FormatVerdict.NotApplicable;
        }

        await using var content = await blobs.OpenReadAsync(upload.Sha256, cancellationToken);
        if (content is null)
        {
            return FormatVerdict.Fail($"The uploaded bytes (sha256 {upload.Sha256}) are missing from the blob store.");
        }

        var inspection = inspector.Inspect(new HeaderReader(content), upload.DiskFormat);
        return inspection.Acceptable
            ? FormatVerdict.Pass(inspection)
            : FormatVerdict.Fail($"The disk image was refused: {string.Join("; ", inspection.Problems)}.", inspection);
    }
}

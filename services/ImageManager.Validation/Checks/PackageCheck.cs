using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Inspects the stored bytes of a software package (see <see cref="PackageInspector"/>): what they really are, and
/// whether every archive among them is safe to unpack. Reads the whole blob once, in a stream.
/// </summary>
public sealed class PackageCheck(IBlobStore blobs, PackageInspector inspector)
{
    public async Task<PackageVerdict> RunAsync(ImageUploaded upload, CancellationToken cancellationToken)
    {
        await using var content = blobs.OpenRead(upload.Sha256);
        if (content is null)
        {
            return PackageVerdict.Fail($"The uploaded bytes (sha256 {upload.Sha256}) are missing from the blob store.");
        }

        var inspection = await inspector.InspectAsync(content, cancellationToken);
        return inspection.Acceptable
            ? PackageVerdict.Pass(inspection.Type)
            : PackageVerdict.Fail($"The software package ({inspection.Type}) was refused: {inspection.Problem}.", inspection.Type);
    }
}

using System.IO.Compression;
using ImageManager.BlobStorage;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Takes the disk images out of a CSAR that passed its manifest check: each becomes a blob of its own (content
/// addressed, so an image already stored is not written again) and gets the format inspection every VM image gets,
/// against the format its extension promises. One unsafe image refuses the package, and the blobs written for it are
/// removed again: a refused package leaves nothing behind.
/// </summary>
public sealed class CsarImageExtractor(IBlobStore blobs, DiskImageInspector inspector)
{
    public async Task<CsarExtraction> ExtractAsync(Stream package, IReadOnlyList<CsarImage> images, CancellationToken cancellationToken)
    {
        if (images.Count == 0)
        {
            return new CsarExtraction([], null);
        }

        package.Position = 0;
        var written = new List<string>();
        var extracted = new List<ExtractedImage>();
        await using var zip = await ZipArchive.CreateAsync(package, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        foreach (var image in images)
        {
            var (blob, problem) = await StoreAsync(zip, image, written, cancellationToken);
            ExtractedImage? result = null;
            if (blob is not null)
            {
                (result, problem) = await InspectAsync(image, blob, cancellationToken);
            }

            if (result is null)
            {
                foreach (var sha256 in written)
                {
                    await blobs.DeleteAsync(sha256, cancellationToken);
                }

                return new CsarExtraction([], problem);
            }

            extracted.Add(result);
        }

        return new CsarExtraction(extracted, null);
    }

    async Task<(StoredBlob? Blob, string? Problem)> StoreAsync(ZipArchive zip, CsarImage image, List<string> written, CancellationToken cancellationToken)
    {
        if (zip.GetEntry(image.Path) is not { } entry)
        {
            return (null, $"'{image.Path}' vanished from the package between two reads of it.");
        }

        if (await blobs.ExistsAsync(image.Sha256, cancellationToken))
        {
            return (new StoredBlob(image.Sha256, image.Sha512, entry.Length), null);
        }

        StoredBlob blob;
        await using (var content = await entry.OpenAsync(cancellationToken))
        {
            blob = await blobs.PutAsync(content, cancellationToken);
        }

        written.Add(blob.Sha256);
        return blob.Sha256 == image.Sha256
            ? (blob with { Sha512 = image.Sha512 }, null)
            : (null, $"'{image.Path}' read differently the second time (sha256 {blob.Sha256}, first {image.Sha256}); the package is refused.");
    }

    async Task<(ExtractedImage? Image, string? Problem)> InspectAsync(CsarImage image, StoredBlob blob, CancellationToken cancellationToken)
    {
        await using var content = await blobs.OpenReadAsync(blob.Sha256, cancellationToken);
        if (content is null)
        {
            return (null, $"'{image.Path}' is missing from the blob store right after it was stored.");
        }

        var header = new HeaderReader(content);
        var promised = CsarImageFiles.PromisedFormat(image.Path) ?? inspector.Inspect(header, declaredFormat: null).Format;
        var inspection = inspector.Inspect(header, promised);
        return inspection.Acceptable
            ? (new ExtractedImage(image, blob, inspection.Format, inspection.VirtualSizeBytes), null)
            : (null, $"The disk image '{image.Path}' in the package was refused: {string.Join("; ", inspection.Problems)}.");
    }
}

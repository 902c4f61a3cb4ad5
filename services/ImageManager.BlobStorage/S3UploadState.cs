using Amazon.S3.Model;

namespace ImageManager.BlobStorage;

/// <summary>
/// A resumable upload as its objects in the bucket say: the pieces that follow each other from offset 0 (a piece
/// outside that chain, left by a writer that lost its lease, counts for nothing), the announced length, the writers'
/// leases, the <see cref="CompletedUpload"/> mark once the upload was completed, and every object (for removal).
/// </summary>
internal sealed record S3UploadState(
    long Offset, long? Length, IReadOnlyList<S3Object> Pieces, IReadOnlyList<S3Object> Writers, CompletedUpload? Completed, IReadOnlyList<S3Object> All)
{
    public PartialUpload Status => Completed?.Status ?? new(Offset, Length);

    public static S3UploadState From(string prefix, IReadOnlyList<S3Object> objects)
    {
        long? length = null;
        var pieces = new SortedList<long, S3Object>();
        var writers = new List<S3Object>();
        CompletedUpload? completed = null;
        foreach (var item in objects)
        {
            var name = item.Key[prefix.Length..];
            if (name.StartsWith(S3ResumableUploads.LengthFolder, StringComparison.Ordinal) && long.TryParse(name[S3ResumableUploads.LengthFolder.Length..], out var announced))
            {
                length = announced;
            }
            else if (name.StartsWith(S3ResumableUploads.PieceFolder, StringComparison.Ordinal) && long.TryParse(name[S3ResumableUploads.PieceFolder.Length..], out var offset))
            {
                pieces[offset] = item;
            }
            else if (name.StartsWith(S3ResumableUploads.WriterFolder, StringComparison.Ordinal))
            {
                writers.Add(item);
            }
            else if (name.StartsWith(S3ResumableUploads.CompletedFolder, StringComparison.Ordinal))
            {
                completed = CompletedUpload.Parse(name[S3ResumableUploads.CompletedFolder.Length..]) ?? completed;
            }
        }

        var chain = new List<S3Object>();
        long end = 0;
        foreach (var (offset, piece) in pieces)
        {
            if (offset == end)
            {
                chain.Add(piece);
                end += piece.Size ?? 0;
            }
        }

        return new S3UploadState(end, length, chain, writers, completed, objects);
    }
}

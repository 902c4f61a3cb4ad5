using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// Resumable uploads kept in the bucket, so that any Api replica continues what another began. An upload <c>{key}</c> is
/// objects under <c>uploads/{key}/</c>: its bytes in pieces <c>data/{offset}</c> of up to a part each (written as they
/// fill; when the connection breaks, what arrived is written as a shorter piece), its announced length as the empty
/// object <c>length/{n}</c>, and the lease of its writer <c>writer/{id}</c>. One listing gives the whole state, so the
/// offset is computed from the store, never remembered by a process.
/// <para>
/// One writer at a time: S3 has no locks (and Swift no conditional puts), so a writer puts its lease
/// (<see cref="S3UploadLease"/>), lists the leases, and goes on only when its own is the earliest begun of the fresh ones
/// (every writer sees the same listing and agrees); it checks again before every piece. A writer renews its lease on a
/// timer, every third of <see cref="BlobStoreOptions.ResumableUploadLease"/> (30 s by default), whether bytes come or not,
/// so a live writer on a slow link keeps the upload however long a piece takes, while the lease of a writer that died
/// (a killed replica) stops being fresh one lease after its last renewal and is taken over: the client's resume is
/// refused (409) for at most that long. A writer whose renewals all failed for a whole lease stops at its next piece.
/// Freshness compares the store's last-modified times with the writers' clocks, which must agree within a few seconds.
/// Pieces are keyed by offset, so whatever a writer that lost its lease still wrote can only replace a piece or fall
/// outside the chain from offset 0, never corrupt it.
/// </para>
/// Completion reads the pieces in order into <see cref="S3BlobStore.PutAsync"/>, which hashes them and stores the blob at
/// its address, puts the <see cref="CompletedUpload"/> mark <c>completed/{length}-{sha256}</c> and only then removes the
/// rest of the upload: the mark stays until the upload is discarded. <see cref="SweepAsync"/> removes what was left to expire.
/// </summary>
public sealed partial class S3ResumableUploads(
    S3Bucket bucket, S3BlobStore blobs, IOptions<BlobStoreOptions> options, TimeProvider clock, ILogger<S3ResumableUploads> logger) : IResumableUploads
{
    public const string Prefix = "uploads/";
    internal const string PieceFolder = "data/";
    internal const string LengthFolder = "length/";
    internal const string WriterFolder = "writer/";
    internal const string CompletedFolder = "completed/";

    public async Task<PartialUpload> StatusAsync(string key, CancellationToken cancellationToken) => (await ReadAsync(key, cancellationToken)).Status;

    public async Task<PartialUpload> AppendAsync(string key, long offset, long? length, Stream content, CancellationToken cancellationToken)
    {
        var prefix = PrefixOf(key);
        await using var writer = await S3UploadLease.TakeAsync(bucket, prefix + WriterFolder, options.Value.ResumableUploadLease, clock, logger, cancellationToken);
        var state = await HoldLeaseAsync(key, writer, cancellationToken);
        if (state.Completed is { } completed)
        {
            return await completed.AppendAsync(offset, content, cancellationToken);
        }

        if (state.Offset != offset)
        {
            throw new UploadConflictException($"Upload-Offset is {offset} but {state.Offset} bytes have been received; continue from {state.Offset}.");
        }

        var known = state.Length;
        if (length is { } announced)
        {
            if (known is { } previous && previous != announced)
            {
                throw new UploadConflictException($"Upload-Length was announced as {previous}; it cannot change to {announced}.");
            }

            if (announced < offset)
            {
                throw new UploadConflictException($"Upload-Length {announced} is less than the {offset} bytes already received.");
            }

            if (known is null)
            {
                await bucket.PutAsync(prefix + LengthFolder + announced.ToString(CultureInfo.InvariantCulture), ReadOnlyMemory<byte>.Empty, cancellationToken);
            }

            known = announced;
        }

        var position = offset;
        var piece = new byte[bucket.PartSize];
        while (true)
        {
            var filled = 0;
            try
            {
                int read;
                while (filled < piece.Length && (read = await content.ReadAsync(piece.AsMemory(filled), cancellationToken)) > 0)
                {
                    if (known is { } total && position + filled + read > total)
                    {
                        throw new UploadConflictException($"The upload goes beyond its announced Upload-Length of {total} bytes.");
                    }

                    filled += read;
                }
            }
            catch (Exception broken) when (broken is not UploadConflictException && filled > 0)
            {
                // The connection broke: what arrived is kept (the caller's token may be the cancelled one).
                await PutPieceAsync(key, writer, position, piece.AsMemory(0, filled), CancellationToken.None);
                throw;
            }

            if (filled > 0)
            {
                await PutPieceAsync(key, writer, position, piece.AsMemory(0, filled), cancellationToken);
                position += filled;
            }

            if (filled < piece.Length)
            {
                return new PartialUpload(position, known);
            }
        }
    }

    async Task PutPieceAsync(string key, S3UploadLease writer, long offset, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await HoldLeaseAsync(key, writer, cancellationToken);
        await bucket.PutAsync(PrefixOf(key) + PieceFolder + offset.ToString("D19", CultureInfo.InvariantCulture), bytes, cancellationToken);
    }

    /// <summary>The upload's state, when <paramref name="writer"/> holds the lease; a conflict otherwise.</summary>
    async Task<S3UploadState> HoldLeaseAsync(string key, S3UploadLease writer, CancellationToken cancellationToken)
    {
        if (writer.Lapsed)
        {
            throw new UploadConflictException("This upload's lease ran out while the blob store did not answer; ask where the upload stands and resume from there.");
        }

        var state = await ReadAsync(key, cancellationToken);
        var fresh = clock.GetUtcNow() - options.Value.ResumableUploadLease;
        var holder = state.Writers
            .Where(w => w.Key == writer.Key || w.LastModified is not { } at || at.ToUniversalTime() > fresh.UtcDateTime)
            .OrderBy(w => w.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        if (holder?.Key != writer.Key)
        {
            throw new UploadConflictException("Another upload of this image is in progress; wait for it or resume after it ends.");
        }

        return state;
    }

    public async Task<StoredBlob> CompleteAsync(string key, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(key, cancellationToken);
        if (state.Completed?.Blob is { } stored)
        {
            return stored;
        }

        if (!state.Status.IsComplete)
        {
            throw new UploadConflictException($"The upload has {state.Offset} of {state.Length?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} bytes; it is not complete.");
        }

        StoredBlob blob;
        try
        {
            await using var pieces = new S3ObjectSequenceStream(bucket, [.. state.Pieces.Select(p => (p.Key, p.Size ?? 0))]);
            blob = await blobs.PutAsync(pieces, cancellationToken);
        }
        catch (Amazon.S3.AmazonS3Exception exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Another request completed the upload (and removed its pieces) while this one read them: its mark names the blob.
            return (await ReadAsync(key, cancellationToken)).Completed?.Blob
                ?? throw new UploadConflictException("Another request completed this upload meanwhile; its answer says how it ended. Ask HEAD for where the upload stands.");
        }

        // The mark first: from it on, the upload reads as complete whatever of its pieces are still there.
        var mark = new CompletedUpload(blob.Length, blob);
        await bucket.PutAsync(PrefixOf(key) + CompletedFolder + mark.Format(), ReadOnlyMemory<byte>.Empty, cancellationToken);
        await RemoveAsync(state.All, cancellationToken);
        return blob;
    }

    public async Task DiscardAsync(string key, CancellationToken cancellationToken) =>
        await RemoveAsync((await ReadAsync(key, cancellationToken)).All, cancellationToken);

    /// <summary>
    /// Removes what nobody will finish: uploads that received nothing for the expiry, temporary objects of puts that
    /// died before deleting them, and multipart uploads never completed nor aborted. Only deletes of things older than
    /// the expiry, each idempotent: replicas sweeping at the same time do no harm.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = (clock.GetUtcNow() - options.Value.ResumableUploadExpiry).UtcDateTime;
        bool Old(S3Object item) => item.LastModified is { } at && at.ToUniversalTime() < before;
        var removed = 0;

        var uploads = new Dictionary<string, List<S3Object>>(StringComparer.Ordinal);
        await foreach (var item in bucket.ListAsync(Prefix, cancellationToken))
        {
            var key = item.Key[Prefix.Length..].Split('/')[0];
            (uploads.TryGetValue(key, out var list) ? list : uploads[key] = []).Add(item);
        }

        foreach (var objects in uploads.Values.Where(objects => objects.All(Old)))
        {
            await RemoveAsync(objects, cancellationToken);
            removed++;
        }

        await foreach (var item in bucket.ListAsync(S3BlobStore.IncomingPrefix, cancellationToken))
        {
            if (Old(item))
            {
                await bucket.DeleteAsync(item.Key, cancellationToken);
                removed++;
            }
        }

        ListMultipartUploadsResponse page;
        var (keyMarker, uploadIdMarker) = ((string?)null, (string?)null);
        do
        {
            page = await bucket.Client.ListMultipartUploadsAsync(
                new ListMultipartUploadsRequest { BucketName = bucket.Name, KeyMarker = keyMarker, UploadIdMarker = uploadIdMarker }, cancellationToken);
            foreach (var upload in (page.MultipartUploads ?? []).Where(u => u.Initiated is { } at && at.ToUniversalTime() < before))
            {
                await bucket.Client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = bucket.Name, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken);
                removed++;
            }

            (keyMarker, uploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }
        while (page.IsTruncated == true);

        return removed;
    }

    async Task RemoveAsync(IEnumerable<S3Object> objects, CancellationToken cancellationToken)
    {
        foreach (var item in objects)
        {
            await bucket.DeleteAsync(item.Key, cancellationToken);
        }
    }

    async Task<S3UploadState> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var prefix = PrefixOf(key);
        var objects = new List<S3Object>();
        await foreach (var item in bucket.ListAsync(prefix, cancellationToken))
        {
            objects.Add(item);
        }

        return S3UploadState.From(prefix, objects);
    }

    static string PrefixOf(string key) =>
        UploadKey().IsMatch(key) ? Prefix + key + "/" : throw new ArgumentException("An upload key is 1 to 64 letters, digits or '-'.", nameof(key));

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex UploadKey();
}

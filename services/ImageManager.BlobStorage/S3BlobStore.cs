using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.S3.Model;

namespace ImageManager.BlobStorage;

/// <summary>
/// Stores each blob as the object <c>sha256/{hash}</c> of one bucket. How content addressing and "visible only once
/// complete" are kept while the hash is known only at the end of the stream:
/// <list type="bullet">
/// <item>A blob that fits in one part is read into memory first, so its hash is known before anything is sent: it is
/// put straight to its address (or not at all, when that address is taken: same bytes).</item>
/// <item>A larger one goes, hashed on the way, into a multipart upload under <c>incoming/{guid}</c>, which S3 shows to
/// nobody until it is completed; then it is copied to its address on the server (a single copy up to 5 GiB, part by
/// part above) and the temporary object deleted. The copy costs the store a second write of the bytes, but none of
/// them cross the network again. The alternatives were worse: hashing first needs the bytes twice from the client;
/// a small pointer object at the address naming the data object saves the copy but makes every read two lookups and
/// leaves unreferenced data objects behind whenever a writer dies between the two.</item>
/// <item>A failed or cancelled write aborts its multipart upload and deletes its temporary object; what a crash leaves
/// (an open upload, an <c>incoming/</c> object) is removed by <see cref="S3ResumableUploads.SweepAsync"/> once older than
/// the resumable-upload expiry.</item>
/// </list>
/// Memory per put is two parts (one filling while the other is sent), whatever the blob's size.
/// </summary>
public sealed partial class S3BlobStore(S3Bucket bucket) : IBlobStore
{
    /// <summary>The largest object S3 copies in one request; above it, the copy goes part by part.</summary>
    const long SingleCopyLimit = 5L * 1024 * 1024 * 1024;

    /// <summary>Swift's s3api allows 1,000 parts: parts double in size every 250 so that a blob of any size fits.</summary>
    const int PartsPerSize = 250;

    const int LargestPart = 1024 * 1024 * 1024;

    public const string IncomingPrefix = "incoming/";

    /// <summary>The copy's limit; the tests lower it to take the part-by-part path with small blobs.</summary>
    internal long CopyLimit { get; init; } = SingleCopyLimit;

    public async Task<StoredBlob> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = new byte[PartSize(1)];
        var filled = await FillAsync(content, current, cancellationToken);
        if (filled < current.Length)
        {
            sha256.AppendData(current, 0, filled);
            var small = new StoredBlob(Convert.ToHexStringLower(sha256.GetHashAndReset()), null, filled);
            if (await bucket.LengthAsync(KeyOf(small.Sha256), cancellationToken) is null)
            {
                await bucket.PutAsync(KeyOf(small.Sha256), current.AsMemory(0, filled), cancellationToken);
            }

            return small;
        }

        var temporary = IncomingPrefix + Guid.NewGuid().ToString("N");
        var (length, _) = await UploadAsync(temporary, content, current, filled, sha256, cancellationToken);
        var blob = new StoredBlob(Convert.ToHexStringLower(sha256.GetHashAndReset()), null, length);
        try
        {
            if (await bucket.LengthAsync(KeyOf(blob.Sha256), cancellationToken) is null)
            {
                await CopyAsync(temporary, KeyOf(blob.Sha256), length, cancellationToken);
            }
        }
        finally
        {
            // Also when the copy failed: the temporary object is never anyone's blob.
            await bucket.DeleteAsync(temporary, CancellationToken.None);
        }

        return blob;
    }

    /// <summary>
    /// Sends <paramref name="first"/> and the rest of <paramref name="content"/> as a multipart upload to <paramref name="key"/>,
    /// hashing each part before it goes; aborts the upload on any failure.
    /// </summary>
    async Task<(long Length, int Parts)> UploadAsync(string key, Stream content, byte[] first, int filled, IncrementalHash sha256, CancellationToken cancellationToken)
    {
        var uploadId = (await bucket.Client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket.Name, Key = key }, cancellationToken)).UploadId;
        var etags = new List<PartETag>();
        Task<string>? sending = null;
        try
        {
            var (current, spare) = (first, (byte[]?)null);
            long length = 0;
            for (var number = 1; filled > 0; number++)
            {
                sha256.AppendData(current, 0, filled);
                length += filled;
                if (sending is not null)
                {
                    etags.Add(new PartETag(number - 1, await sending));
                }

                sending = bucket.UploadPartAsync(key, uploadId, number, current.AsMemory(0, filled), cancellationToken);
                if (filled < current.Length)
                {
                    break; // a short part is the last
                }

                // The part before the one being sent is done: its buffer fills next, while this one goes.
                var next = spare is not null && spare.Length == PartSize(number + 1) ? spare : new byte[PartSize(number + 1)];
                spare = current;
                current = next;
                filled = await FillAsync(content, current, cancellationToken);
            }

            etags.Add(new PartETag(etags.Count + 1, await sending!));
            sending = null;
            await bucket.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket.Name,
                Key = key,
                UploadId = uploadId,
                PartETags = etags,
            }, cancellationToken);
            return (length, etags.Count);
        }
        catch
        {
            if (sending is not null)
            {
                // A part still on its way would land after the abort and stay behind as an orphan segment.
                await sending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            await bucket.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket.Name, Key = key, UploadId = uploadId }, CancellationToken.None);
            throw;
        }
    }

    async Task CopyAsync(string source, string destination, long length, CancellationToken cancellationToken)
    {
        if (length <= CopyLimit)
        {
            await bucket.Client.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket.Name,
                SourceKey = source,
                DestinationBucket = bucket.Name,
                DestinationKey = destination,
            }, cancellationToken);
            return;
        }

        var uploadId = (await bucket.Client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket.Name, Key = destination }, cancellationToken)).UploadId;
        try
        {
            // Parts of at least S3's smallest, few enough for Swift's 1,000.
            var partSize = Math.Max(Math.Max(CopyLimit / 4, 5L * 1024 * 1024), (length + 999) / 1000);
            var etags = new List<PartETag>();
            for (long first = 0; first < length; first += partSize)
            {
                var part = await bucket.Client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = bucket.Name,
                    SourceKey = source,
                    DestinationBucket = bucket.Name,
                    DestinationKey = destination,
                    UploadId = uploadId,
                    PartNumber = etags.Count + 1,
                    FirstByte = first,
                    LastByte = Math.Min(first + partSize, length) - 1,
                }, cancellationToken);
                etags.Add(new PartETag(etags.Count + 1, part.ETag));
            }

            await bucket.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket.Name,
                Key = destination,
                UploadId = uploadId,
                PartETags = etags,
            }, cancellationToken);
        }
        catch
        {
            await bucket.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket.Name, Key = destination, UploadId = uploadId }, CancellationToken.None);
            throw;
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var key = KeyOf(sha256);
        return await bucket.LengthAsync(key, cancellationToken) is { } length ? new S3ReadStream(bucket, key, length) : null;
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) =>
        await bucket.LengthAsync(KeyOf(sha256), cancellationToken) is not null;

    public Task DeleteAsync(string sha256, CancellationToken cancellationToken) => bucket.DeleteAsync(KeyOf(sha256), cancellationToken);

    int PartSize(int number) => (int)Math.Min((long)bucket.PartSize << ((number - 1) / PartsPerSize), LargestPart);

    internal static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    public static string KeyOf(string sha256) =>
        Sha256Hex().IsMatch(sha256) ? "sha256/" + sha256 : throw new ArgumentException("A blob address is 64 lower-case hex digits.", nameof(sha256));

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}

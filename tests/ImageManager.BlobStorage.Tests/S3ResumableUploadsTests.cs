using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Xunit.Abstractions;

namespace ImageManager.BlobStorage.Tests;

/// <summary>
/// The resumable upload contract on S3 (the local Swift, a bucket per test), and what only S3 has: writers' leases in the
/// bucket (the file system's lock goes with its process) and leftovers to sweep. The lease is the shortest allowed, so
/// that a lease running out costs seconds, and every contract test runs with its renewals.
/// </summary>
public sealed class S3ResumableUploadsTests(ITestOutputHelper output) : ResumableUploadsContract
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    TemporaryS3BlobStore S3 => (TemporaryS3BlobStore)Blobs;

    protected override async Task<ITemporaryBlobStore> CreateAsync() => await TemporaryS3BlobStore.CreateAsync(lease: Lease);

    protected override int RaceRounds => 10;

    [Fact]
    public async Task When_a_writer_died_without_removing_its_lease_others_are_kept_out_only_until_it_runs_out_then_the_upload_continues_from_its_offset()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await S3.Uploads.AppendAsync("image-8", 0, bytes.Length, new MemoryStream(bytes[..400]), CancellationToken.None);
        // What a killed replica leaves: its lease, begun before anyone else's, never renewed nor removed.
        var began = S3.Clock.GetUtcNow().UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        await S3.S3.PutAsync($"{S3ResumableUploads.Prefix}image-8/{S3ResumableUploads.WriterFolder}{began}-{Guid.NewGuid():N}", ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var died = Stopwatch.StartNew();

        var refused = await Assert.ThrowsAsync<UploadConflictException>(() =>
            S3.Uploads.AppendAsync("image-8", 400, null, new MemoryStream(bytes[400..]), CancellationToken.None));
        PartialUpload? resumed = null;
        for (var attempt = 0; resumed is null && attempt < 60; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            try
            {
                resumed = await S3.Uploads.AppendAsync("image-8", 400, null, new MemoryStream(bytes[400..]), CancellationToken.None);
            }
            catch (UploadConflictException stillHeld) when (stillHeld.Message.Contains("in progress", StringComparison.Ordinal))
            {
            }
        }

        output.WriteLine($"{(resumed is null ? "Still refused" : "Resumed")} {died.Elapsed.TotalSeconds:F1} s after the writer died (lease {Lease.TotalSeconds} s).");
        Assert.Contains("in progress", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new PartialUpload(1000, 1000), resumed);
        var blob = await S3.Uploads.CompleteAsync("image-8", CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        // The blob and the upload's completion mark; the dead writer's lease went with the rest of the upload.
        Assert.Equal(["sha256/", "uploads/image-8/completed/"], (await S3.ContentsAsync()).Select(key => key[..(key.LastIndexOf('/') + 1)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_a_live_writer_trickles_for_longer_than_its_lease_it_keeps_the_upload_and_a_second_writer_is_refused()
    {
        var release = new TaskCompletionSource();
        var first = S3.Uploads.AppendAsync("image-9", 0, 10, new SlowStream(release), CancellationToken.None);
        await Task.Delay(2 * Lease); // nothing arrives for two leases: only the renewals keep it

        var second = await Assert.ThrowsAsync<UploadConflictException>(() =>
            S3.Uploads.AppendAsync("image-9", 0, 10, new MemoryStream(new byte[10]), CancellationToken.None));
        release.SetResult();

        Assert.Contains("in progress", second.Message, StringComparison.Ordinal);
        Assert.Equal(new PartialUpload(1, 10), await first);
        Assert.Equal(new PartialUpload(1, 10), await S3.Uploads.StatusAsync("image-9", CancellationToken.None));
        // The renewals stopped before the lease was removed: none came back to keep the next writer out.
        Assert.DoesNotContain(await S3.ContentsAsync(), key => key.Contains(S3ResumableUploads.WriterFolder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_writer_died_before_cleaning_up_the_sweep_removes_its_temporary_object_and_open_multipart_upload_once_expired()
    {
        var client = S3.Bucket.Client;
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3.Bucket.Name, Key = S3BlobStore.IncomingPrefix + "died", ContentBody = "x", UseChunkEncoding = false });
        await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = S3.Bucket.Name, Key = S3BlobStore.IncomingPrefix + "died-too" });

        var early = await S3.Uploads.SweepAsync(CancellationToken.None);
        S3.Clock.Shift = TimeSpan.FromDays(2);
        var late = await S3.Uploads.SweepAsync(CancellationToken.None);

        Assert.Equal((0, 2), (early, late));
        Assert.Empty(await S3.ContentsAsync());
    }
}

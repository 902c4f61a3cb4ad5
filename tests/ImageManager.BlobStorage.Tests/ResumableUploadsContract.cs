using System.Security.Cryptography;

namespace ImageManager.BlobStorage.Tests;

/// <summary>
/// What resumable uploads must do on every store, run against the file system (<see cref="FileSystemResumableUploadsTests"/>)
/// and S3 on the local Swift (<see cref="S3ResumableUploadsTests"/>).
/// </summary>
public abstract class ResumableUploadsContract : IAsyncLifetime
{
    protected ITemporaryBlobStore Blobs { get; private set; } = null!;

    IResumableUploads Uploads => Blobs.Uploads;

    static CancellationToken None => CancellationToken.None;

    protected abstract Task<ITemporaryBlobStore> CreateAsync();

    public async Task InitializeAsync() => Blobs = await CreateAsync();

    public async Task DisposeAsync() => await Blobs.DisposeAsync();

    [Fact]
    public async Task When_bytes_arrive_in_pieces_they_are_taken_and_the_upload_completes_into_their_content_address()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var first = await Uploads.AppendAsync("image-1", 0, bytes.Length, new MemoryStream(bytes[..100_000]), None);
        var second = await Uploads.AppendAsync("image-1", 100_000, null, new MemoryStream(bytes[100_000..]), None);
        var blob = await Uploads.CompleteAsync("image-1", None);

        Assert.Equal(new PartialUpload(100_000, 300_000), first);
        Assert.True(second.IsComplete);
        Assert.Null(blob.Sha512); // left to Validation, off the ingest path
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256);
        Assert.True(await Blobs.Store.ExistsAsync(blob.Sha256, None));
    }

    [Fact]
    public async Task When_a_completed_upload_is_not_yet_discarded_it_stays_complete_and_takes_no_new_beginning()
    {
        var bytes = RandomNumberGenerator.GetBytes(120_000);
        await Uploads.AppendAsync("image-8", 0, bytes.Length, new MemoryStream(bytes), None);
        var blob = await Uploads.CompleteAsync("image-8", None);

        // A request that arrives between completion and the caller's record of the blob (an upload from the start, or
        // the last request again) must not begin the upload anew: its bytes would be taken and then dropped.
        var again = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-8", 0, bytes.Length, new MemoryStream(bytes), None));
        var repeatedLast = await Uploads.AppendAsync("image-8", bytes.Length, null, new MemoryStream(), None);
        var status = await Uploads.StatusAsync("image-8", None);
        var completedAgain = await Uploads.CompleteAsync("image-8", None);
        await Uploads.DiscardAsync("image-8", None);

        Assert.Contains("complete", again.Message, StringComparison.Ordinal);
        Assert.Equal(new PartialUpload(bytes.Length, bytes.Length), repeatedLast);
        Assert.Equal(new PartialUpload(bytes.Length, bytes.Length), status);
        Assert.Equal(blob with { Sha512 = null }, completedAgain);
        Assert.Equal(new PartialUpload(0, null), await Uploads.StatusAsync("image-8", None));
        Assert.Single(await Blobs.ContentsAsync()); // the blob, and nothing of the upload
    }

    [Theory]
    [InlineData(200_000, 123_457)]
    [InlineData((2 * TemporaryS3BlobStore.PartSize) + 1_000_003, TemporaryS3BlobStore.PartSize + 123_457)]
    public async Task When_the_connection_breaks_every_byte_that_arrived_is_kept_and_the_upload_continues_from_there(int length, int breakAt)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);

        await Assert.ThrowsAsync<IOException>(() => Uploads.AppendAsync("image-2", 0, bytes.Length, new BreaksAfterStream(bytes, breakAt), None));
        var kept = await Uploads.StatusAsync("image-2", None);
        await Uploads.AppendAsync("image-2", kept.Offset, null, new MemoryStream(bytes[(int)kept.Offset..]), None);
        var blob = await Uploads.CompleteAsync("image-2", None);

        Assert.Equal(new PartialUpload(breakAt, length), kept);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)length), (blob.Sha256, blob.Length));
        await using var stored = (await Blobs.Store.OpenReadAsync(blob.Sha256, None))!;
        Assert.Equal(length, stored.Length);
    }

    [Fact]
    public async Task When_the_offset_is_not_where_the_upload_stands_the_conflict_says_where_it_is()
    {
        await Uploads.AppendAsync("image-3", 0, 1000, new MemoryStream(new byte[400]), None);

        var conflict = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-3", 300, null, new MemoryStream(new byte[10]), None));

        Assert.Contains("continue from 400", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(400, (await Uploads.StatusAsync("image-3", None)).Offset);
    }

    [Fact]
    public async Task When_bytes_go_beyond_the_announced_length_or_the_length_changes_they_are_refused()
    {
        await Uploads.AppendAsync("image-4", 0, 100, new MemoryStream(new byte[60]), None);

        var beyond = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-4", 60, null, new MemoryStream(new byte[41]), None));
        var changed = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-4", 60, 200, new MemoryStream(new byte[1]), None));

        Assert.Contains("beyond", beyond.Message, StringComparison.Ordinal);
        Assert.Contains("cannot change", changed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UploadConflictException>(() => Uploads.CompleteAsync("image-4", None));
    }

    [Fact]
    public async Task When_an_upload_that_never_began_is_discarded_on_a_new_store_nothing_is_left()
    {
        await Uploads.DiscardAsync("never-began", None);

        Assert.Equal(new PartialUpload(0, null), await Uploads.StatusAsync("never-began", None));
        Assert.Empty(await Blobs.ContentsAsync());
    }

    [Fact]
    public async Task When_an_upload_is_discarded_its_bytes_go()
    {
        await Uploads.AppendAsync("image-6", 0, 1000, new MemoryStream(new byte[400]), None);

        await Uploads.DiscardAsync("image-6", None);

        Assert.Equal(new PartialUpload(0, null), await Uploads.StatusAsync("image-6", None));
        Assert.Empty(await Blobs.ContentsAsync());
    }

    [Fact]
    public async Task When_one_writer_is_writing_a_second_is_kept_out()
    {
        var release = new TaskCompletionSource();
        var first = Uploads.AppendAsync("image-5", 0, 10, new SlowStream(release), None);
        await Task.Delay(300); // the first writer holds the upload

        var second = await Assert.ThrowsAsync<UploadConflictException>(() =>
            Uploads.AppendAsync("image-5", 0, 10, new MemoryStream(new byte[10]), None));
        release.SetResult();

        Assert.Contains("in progress", second.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await first).Offset);
    }

    /// <summary>Rounds of the races below: each is a few calls; the file system's are quick, S3's are round trips.</summary>
    protected virtual int RaceRounds => 200;

    [Fact]
    public async Task When_writers_race_with_the_length_and_the_status_is_read_meanwhile_each_gets_an_answer_or_a_conflict_never_a_torn_read()
    {
        var unexpected = new List<Exception>();
        for (var round = 0; round < RaceRounds; round++)
        {
            var key = $"race-{round}";
            var calls = new List<Task>
            {
                Expect(() => Uploads.AppendAsync(key, 0, 1000, new MemoryStream(new byte[10]), None)),
                Expect(() => Uploads.AppendAsync(key, 0, 1000, new MemoryStream(new byte[10]), None)),
            };
            calls.AddRange(Enumerable.Range(0, 3).Select(_ => Expect(() => Uploads.StatusAsync(key, None))));
            await Task.WhenAll(calls);
        }

        Assert.True(unexpected.Count == 0, $"{unexpected.Count} calls failed otherwise than with a conflict, the first: {unexpected.FirstOrDefault()}");

        async Task Expect<T>(Func<Task<T>> call)
        {
            try
            {
                await call();
            }
            catch (UploadConflictException)
            {
                // The loser of the race is told where the upload stands: that is the answer.
            }
            catch (Exception exception)
            {
                lock (unexpected)
                {
                    unexpected.Add(exception);
                }
            }
        }
    }

    [Fact]
    public async Task When_the_status_is_read_while_the_upload_completes_it_says_where_the_upload_stands_never_throws()
    {
        var unexpected = new List<Exception>();
        for (var round = 0; round < RaceRounds; round++)
        {
            var key = $"status-complete-{round}";
            var bytes = RandomNumberGenerator.GetBytes(4_096);
            await Uploads.AppendAsync(key, 0, bytes.Length, new MemoryStream(bytes), None);

            // What a client's HEAD or PATCH does while another client's last PATCH completes the upload (a 500 in the Api before).
            var reads = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                try
                {
                    var status = await Uploads.StatusAsync(key, None);
                    Assert.Equal(bytes.Length, status.Offset);
                }
                catch (Exception exception) when (exception is not UploadConflictException)
                {
                    lock (unexpected)
                    {
                        unexpected.Add(exception);
                    }
                }
                catch (UploadConflictException)
                {
                    // The mark being written: asked again, it says where the upload stands.
                }
            }));
            await Task.WhenAll([Uploads.CompleteAsync(key, None), .. reads]);
        }

        Assert.True(unexpected.Count == 0, $"{unexpected.Count} status reads failed, the first: {unexpected.FirstOrDefault()}");
    }

    [Fact]
    public async Task When_two_requests_complete_the_same_upload_at_once_one_gets_the_blob_and_the_other_a_conflict_or_the_same_blob()
    {
        var outcomes = new List<string>();
        for (var round = 0; round < Math.Max(5, RaceRounds / 10); round++)
        {
            var key = $"complete-{round}";
            var bytes = RandomNumberGenerator.GetBytes(50_000);
            await Uploads.AppendAsync(key, 0, bytes.Length, new MemoryStream(bytes), None);

            var both = await Task.WhenAll(Outcome(key), Outcome(key));

            outcomes.AddRange(both);
            Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bytes)), both);
        }

        Assert.All(outcomes, outcome => Assert.True(outcome.Length == 64 || outcome == "conflict", $"a completion failed: {outcome}"));

        async Task<string> Outcome(string key)
        {
            try
            {
                return (await Uploads.CompleteAsync(key, None)).Sha256;
            }
            catch (UploadConflictException)
            {
                return "conflict";
            }
            catch (Exception exception)
            {
                return exception.ToString();
            }
        }
    }

    [Fact]
    public async Task When_an_upload_receives_nothing_for_longer_than_the_expiry_the_sweep_removes_it_and_not_before()
    {
        await Uploads.AppendAsync("image-7", 0, 1000, new MemoryStream(new byte[400]), None);
        // Completed, and never discarded by its caller: its mark goes with the sweep too.
        await Uploads.AppendAsync("image-9", 0, 300, new MemoryStream(new byte[300]), None);
        var blob = await Uploads.CompleteAsync("image-9", None);

        var early = await Uploads.SweepAsync(None);
        Blobs.Clock.Shift = new BlobStoreOptions().ResumableUploadExpiry + TimeSpan.FromMinutes(5);
        var late = await Uploads.SweepAsync(None);

        Assert.Equal((0, 2), (early, late));
        Assert.Equal(new PartialUpload(0, null), await Uploads.StatusAsync("image-7", None));
        Assert.Equal(new PartialUpload(0, null), await Uploads.StatusAsync("image-9", None));
        Assert.True(await Blobs.Store.ExistsAsync(blob.Sha256, None));
        Assert.Single(await Blobs.ContentsAsync());
    }
}

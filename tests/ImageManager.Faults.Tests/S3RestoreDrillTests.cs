using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The restore drill of a system whose blobs are in S3 (<see cref="S3RestoreDrillSystem"/>), as the highly available
/// shape keeps them: <c>tools/backup.sh</c> copies the bucket's blobs into the backup's layout and puts them back into a
/// bucket it makes anew. The records, keys and the consistency rule are the same as the filesystem drill's
/// (<see cref="RestoreDrillTests"/>), which proves them; this one proves the blobs.
/// </summary>
public sealed class S3RestoreDrillTests(S3RestoreDrillSystem system, ITestOutputHelper output) : IClassFixture<S3RestoreDrillSystem>
{
    /// <summary>Three parts: stored by a multipart upload and a server-side copy, so not every object's ETag is its MD5.</summary>
    const int MultipartImageBytes = 2 * S3RestoreDrillSystem.PartSizeBytes + 1024 * 1024;

    [Fact]
    public async Task When_the_bucket_and_the_databases_are_lost_and_restored_from_a_backup_every_blob_is_back_in_a_new_bucket_and_distribution_goes_on()
    {
        await system.AddSimulatedVimAsync("drill", "s3-vim", SimulatedVimBehaviour.Healthy);
        var (small, smallBytes) = await system.ActiveImageAsync("s3-small");
        var largeBytes = TestImage.Random(MultipartImageBytes);
        var large = await system.CreateImageAsync("s3-large", largeBytes.Sha256, largeBytes.Sha512);
        await system.UploadAsync(large, largeBytes);
        await system.WaitForStatusAsync(large, "active");
        var bucket = system.Bucket!;

        var directory = system.NewBackupDirectory("s3");
        var backup = await system.Script.RunAsync("backup", directory);
        Assert.True(backup.Succeeded, backup.Output);
        // The backup's layout is the filesystem store's: such a backup restores into either kind.
        foreach (var sha256 in new[] { smallBytes.Sha256, largeBytes.Sha256 })
        {
            Assert.True(File.Exists(Path.Combine(directory, "blobs", "sha256", sha256[..2], sha256[2..4], sha256)), $"blob {sha256} is not in the backup");
        }

        await system.StopServicesAsync();
        await system.DestroyDataAsync();
        var restore = await system.Script.RunAsync("restore", directory);
        Assert.True(restore.Succeeded, restore.Output);
        await system.StartServicesAsync("restored");

        var blobs = new[] { (small, smallBytes), (large, largeBytes) };
        foreach (var (id, image) in blobs)
        {
            var record = await system.GetJsonAsync($"/api/v1/images/{id}");
            Assert.Equal(("active", image.Sha256), (record["status"]?.ToString(), record["sha256"]?.ToString()));
            Assert.Equal(image.Sha256, await bucket.Sha256OfAsync($"sha256/{image.Sha256}"));
        }

        // Only blobs went back: nothing of the uploads' temporary prefixes.
        Assert.Equal(blobs.Select(b => $"sha256/{b.Item2.Sha256}").Order(StringComparer.Ordinal), (await bucket.ContentsAsync()).Order(StringComparer.Ordinal));
        var distributed = await system.CompletedAsync(await system.DistributeAsync(large, system.VimIdOf("s3-vim")));
        Assert.Equal("succeeded", distributed["outcome"]?.ToString());
        Assert.Contains(system.Simulator.ImagesOf("s3-vim"), held => held.Sha512 == largeBytes.Sha512);
        foreach (var run in new[] { backup, restore })
        {
            Assert.DoesNotContain(Infrastructure.S3SecretKey, run.Output, StringComparison.Ordinal);
        }

        var size = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);
        output.WriteLine($"S3 backup: {size / 1048576.0:0.0} MiB ({MultipartImageBytes / 1048576} MiB image among them) in {backup.Elapsed.TotalSeconds:0.0} s; "
            + $"restore into a new bucket in {restore.Elapsed.TotalSeconds:0.0} s.");
    }
}

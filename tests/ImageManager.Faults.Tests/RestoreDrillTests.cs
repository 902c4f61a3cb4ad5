using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using Xunit.Abstractions;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The restore drill (docs/operations.md): a system with images, VIMs with credentials, distributions, an API key and a
/// webhook subscription is backed up with <c>tools/backup.sh</c>, its data destroyed, restored and started again; and the
/// consistency rule between the databases and the blobs, which are backed up at different moments.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class RestoreDrillTests(RestoreDrillSystem system, ITestOutputHelper output)
{
    const int LargeImageBytes = 64 * 1024 * 1024;

    [Fact]
    public async Task When_the_data_is_destroyed_and_restored_from_a_backup_every_record_blob_and_key_is_back_and_distribution_goes_on()
    {
        await system.AddSimulatedVimAsync("drill", "drill-plain", SimulatedVimBehaviour.Healthy);
        var plain = system.VimIdOf("drill-plain");
        var keystone = await system.AddKeystoneVimAsync("drill-keystone");
        await system.AddSimulatedVimAsync("drill", "drill-broken", new SimulatedVimBehaviour { FailWith = Fault.Status(400) });
        var broken = system.VimIdOf("drill-broken");
        var (first, firstBytes) = await system.ActiveImageAsync("drill-first");
        var (second, secondBytes) = await system.ActiveImageAsync("drill-second");
        // A larger one, so that the figures say something about bytes as well as records.
        var largeBytes = TestImage.Random(LargeImageBytes);
        var large = await system.CreateImageAsync("drill-large", largeBytes.Sha256, largeBytes.Sha512);
        await system.UploadAsync(large, largeBytes);
        await system.WaitForStatusAsync(large, "active");
        var distribution = await system.DistributeAsync(first, plain, keystone, broken);
        var distributed = await system.CompletedAsync(distribution);
        Assert.Equal("partially-failed", distributed["outcome"]!.GetValue<string>());
        using var viewer = await system.ClientForAsync("drill", "viewer");
        using var subscriber = new WebhookSubscriber();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var subscription = await SubscribeAsync(subscriber, secret);
        var before = await RecordsAsync(distribution);

        // An image uploaded while the backup is between its database dumps and its blob copy: its blob is in the backup, its record is not.
        var directory = system.NewBackupDirectory("drill");
        var paused = system.Script.StartPaused(directory);
        await paused.WaitUntilDumpedAsync();
        var (late, lateBytes) = await system.ActiveImageAsync("drill-late");
        var backup = await paused.ResumeAsync();
        Assert.True(backup.Succeeded, backup.Output);

        await system.StopServicesAsync();
        await system.DestroyDataAsync();
        var restore = await system.Script.RunAsync("restore", directory);
        Assert.True(restore.Succeeded, restore.Output);
        await system.StartServicesAsync("restored");

        Assert.Equal(before, await RecordsAsync(distribution));
        foreach (var (id, image) in new[] { (first, firstBytes), (second, secondBytes), (large, largeBytes) })
        {
            var record = await system.GetJsonAsync($"/api/v1/images/{id}");
            Assert.Equal(("active", image.Sha256, image.Sha512), (Text(record, "status"), Text(record, "sha256"), Text(record, "sha512")));
            Assert.Equal(image.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(system.BlobPath(image.Sha256)))));
        }

        using (var lateRecord = await system.Api.GetAsync($"/api/v1/images/{late}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, lateRecord.StatusCode);
        }

        Assert.True(File.Exists(system.BlobPath(lateBytes.Sha256)), "The blob written after the dumps is not in the restored blob root.");
        using (var viewed = await viewer.GetAsync("/api/v1/images?limit=1"))
        {
            Assert.Equal(HttpStatusCode.OK, viewed.StatusCode);
        }

        // Distribution goes on: the failed target retried once its VIM is mended, the Keystone VIM's stored password decrypts
        // (a new login), and VIM state agrees with the restored records.
        system.Simulator.Configure("drill-broken", SimulatedVimBehaviour.Healthy);
        var logins = system.Simulator.Keystone.Logins;
        using var retried = await system.Api.PostAsync($"/api/v1/distributions/{distribution}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        var retry = await system.CompletedAsync(Guid.Parse((await retried.Content.ReadFromJsonAsync<JsonObject>())!["distributionId"]!.GetValue<string>()));
        var toKeystone = await system.CompletedAsync(await system.DistributeAsync(second, keystone));
        Assert.Equal(("succeeded", "succeeded"), (Text(retry, "outcome"), Text(toKeystone, "outcome")));
        Assert.Contains(system.Simulator.ImagesOf("drill-keystone"), held => held.Sha512 == secondBytes.Sha512);
        Assert.True(system.Simulator.Keystone.Logins > logins, "No Keystone login after the restore: the credentials were not used.");
        using var reconciliation = await system.DistributionService.PostAsync($"/internal/v1/reconciliation/run?imageId={first}&repair=false", null);
        var report = (await reconciliation.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(report["drifted"]!.AsArray().Count == 0 && report["intact"]!.GetValue<int>() >= 2, report.ToJsonString());

        // The subscription's secret decrypts too: an event after the restore arrives signed with it.
        var afterRestore = await system.CreateImageAsync("drill-after");
        var delivered = (await subscriber.WaitForAsync(r => r.Any(d => d.Subject == afterRestore.ToString()), "an event after the restore"))
            .First(d => d.Subject == afterRestore.ToString());
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), delivered.Body)), delivered.Signature);
        Assert.Contains(subscription.ToString(), before);

        // The restored system is backed up again, without a pause: the plain figures.
        var againDirectory = system.NewBackupDirectory("again");
        var again = await system.Script.RunAsync("backup", againDirectory);
        Assert.True(again.Succeeded, again.Output);
        output.WriteLine($"Backup of the restored system: {SizeOf(againDirectory) / 1048576.0:0.0} MiB in {again.Elapsed.TotalSeconds:0.0} s.");
        output.WriteLine($"Backup: {SizeOf(directory) / 1048576.0:0.0} MiB ({LargeImageBytes / 1048576} MiB image among them) in {backup.Elapsed.TotalSeconds:0.0} s "
            + $"(a pause for one upload included); restore in {restore.Elapsed.TotalSeconds:0.0} s; {before.Split('\n').Length} records compared.");
    }

    [Fact]
    public async Task When_an_image_and_its_blob_are_deleted_between_the_dumps_and_the_blob_copy_the_backup_is_taken_again_without_it()
    {
        var (kept, keptBytes) = await system.ActiveImageAsync("race-kept");
        var (deleted, deletedBytes) = await system.ActiveImageAsync("race-deleted");
        var directory = system.NewBackupDirectory("race");

        var paused = system.Script.StartPaused(directory);
        await paused.WaitUntilDumpedAsync();
        using (var delete = await system.Api.DeleteAsync($"/api/v1/images/{deleted}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.False(File.Exists(system.BlobPath(deletedBytes.Sha256)), "The deleted image's blob is still there: the race did not happen.");
        var backup = await paused.ResumeAsync();

        Assert.True(backup.Succeeded, backup.Output);
        Assert.Contains("attempt 1: a blob was deleted between the database dumps and the blob copy", backup.Output);
        // The images table's rows in the dump (one INSERT per row); the audit records name the deleted image still.
        var images = string.Join('\n', (await File.ReadAllLinesAsync(Path.Combine(directory, "catalog.sql"))).Where(line => line.StartsWith("INSERT INTO `images` (", StringComparison.Ordinal)));
        Assert.Contains(kept.ToString(), images);
        Assert.DoesNotContain(deleted.ToString(), images);
        Assert.True(File.Exists(Path.Combine(directory, "blobs", "sha256", keptBytes.Sha256[..2], keptBytes.Sha256[2..4], keptBytes.Sha256)));
        var verify = await system.Script.RunAsync("verify", directory);
        Assert.True(verify.Succeeded, verify.Output);
    }

    [Fact]
    public async Task When_a_backup_lacks_a_blob_its_databases_name_verify_and_restore_refuse_it_and_name_the_digest()
    {
        var (image, bytes) = await system.ActiveImageAsync("lacking");
        var directory = system.NewBackupDirectory("lacking");
        var backup = await system.Script.RunAsync("backup", directory);
        Assert.True(backup.Succeeded, backup.Output);

        // The blob gone from the backup with its manifest line, as a blob deleted before the copy would be.
        var blob = $"blobs/sha256/{bytes.Sha256[..2]}/{bytes.Sha256[2..4]}/{bytes.Sha256}";
        File.Delete(Path.Combine(directory, blob));
        var manifest = Path.Combine(directory, "MANIFEST");
        await File.WriteAllLinesAsync(manifest, (await File.ReadAllLinesAsync(manifest)).Where(line => !line.EndsWith(blob, StringComparison.Ordinal)));
        var verify = await system.Script.RunAsync("verify", directory);
        var restore = await system.Script.RunAsync("restore", directory);

        foreach (var refused in new[] { verify, restore })
        {
            Assert.False(refused.Succeeded, refused.Output);
            Assert.Contains($"is inconsistent: the databases name 1 blob(s) the backup does not hold: {bytes.Sha256}", refused.Output);
        }

        Assert.Equal("active", Text(await system.GetJsonAsync($"/api/v1/images/{image}"), "status"));
    }

    [Fact]
    public async Task When_a_blob_in_a_backup_does_not_hold_the_bytes_its_name_says_verify_and_restore_refuse_it_and_name_it()
    {
        var (_, bytes) = await system.ActiveImageAsync("mismatched");
        var directory = system.NewBackupDirectory("mismatched");
        var backup = await system.Script.RunAsync("backup", directory);
        Assert.True(backup.Succeeded, backup.Output);

        // Other bytes under the blob's name, and the MANIFEST made to agree with them: only the name still tells.
        var blob = $"blobs/sha256/{bytes.Sha256[..2]}/{bytes.Sha256[2..4]}/{bytes.Sha256}";
        var other = TestImage.Random(1024);
        await File.WriteAllBytesAsync(Path.Combine(directory, blob), other.Bytes);
        var manifest = Path.Combine(directory, "MANIFEST");
        await File.WriteAllLinesAsync(manifest, (await File.ReadAllLinesAsync(manifest))
            .Select(line => line.EndsWith(blob, StringComparison.Ordinal) ? $"{other.Sha256}  {blob}" : line));
        var verify = await system.Script.RunAsync("verify", directory);
        var restore = await system.Script.RunAsync("restore", directory);

        foreach (var refused in new[] { verify, restore })
        {
            Assert.False(refused.Succeeded, refused.Output);
            Assert.Contains($"is inconsistent: 1 blob(s) do not hold the bytes their name says: {blob}", refused.Output);
        }
    }

    /// <summary>Every record a restore must bring back, as text to compare: images, VIMs, the distribution's targets, API keys, subscriptions.</summary>
    async Task<string> RecordsAsync(Guid distribution)
    {
        var images = (await system.GetJsonAsync("/api/v1/images?limit=1000"))["images"]!.AsArray()
            .Select(i => $"image {Text(i!, "id")} {Text(i!, "status")} {Text(i!, "sha256")} {Text(i!, "sha512")} {i!["sizeBytes"]}");
        var vims = (await system.GetJsonAsync("/api/v1/vims?limit=1000"))["vims"]!.AsArray()
            .Select(v => $"vim {Text(v!, "id")} {Text(v!, "type")} {Text(v!, "endpoint")}");
        var targets = (await system.TargetsAsync(distribution)).Select(t => $"target {Text(t, "vimId")} {Text(t, "state")} {Text(t, "vimImageId")}");
        var keys = (await system.GetJsonAsync("/api/v1/api-keys"))["apiKeys"]!.AsArray().Select(k => $"key {Text(k!, "id")} {Text(k!, "tenant")}");
        var subscriptions = (await system.GetJsonAsync("/api/v1/subscriptions?limit=1000"))["subscriptions"]!.AsArray()
            .Select(s => $"subscription {Text(s!, "id")} {Text(s!, "url")}");
        return string.Join('\n', images.Concat(vims).Concat(targets).Concat(keys).Concat(subscriptions).Order(StringComparer.Ordinal));
    }

    async Task<Guid> SubscribeAsync(WebhookSubscriber subscriber, string secret)
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/subscriptions",
            new { url = subscriber.Url, events = new[] { "org.onap.imagemanager.image.*" }, secret, description = "restore drill" });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"subscribing answered {(int)response.StatusCode}: {body}");
        return Guid.Parse(body!["id"]!.GetValue<string>());
    }

    static string? Text(JsonNode node, string name) => node[name]?.ToString();

    static long SizeOf(string directory) => new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);
}

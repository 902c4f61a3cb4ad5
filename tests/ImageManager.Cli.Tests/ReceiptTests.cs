namespace ImageManager.Cli.Tests;

/// <summary><c>receipt get|keys|verify</c>: a receipt saved after a distribution to Glance verifies offline, and a changed one does not.</summary>
[Collection(CliCollection.Name)]
public sealed class ReceiptTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_a_receipt_and_the_keys_are_saved_verify_checks_it_offline_and_refuses_it_once_changed()
    {
        var imageId = await system.ActiveImageAsync("receipted");
        var (vimId, _) = await system.GlanceVimsAsync();
        var distributed = await system.RunAsync("distribute", imageId.ToString(), "--vim", vimId, "--wait", "-q", "-o", "json");
        Assert.True(distributed.ExitCode == 0, distributed.ToString());
        var distributionId = distributed.Json()["id"]!.GetValue<string>();
        var folder = Directory.CreateTempSubdirectory("imagemanager-receipt-");
        var (receiptFile, keysFile) = (Path.Combine(folder.FullName, "receipt.jws"), Path.Combine(folder.FullName, "keys.json"));

        var got = await system.RunAsync("receipt", "get", distributionId, vimId, "--out", receiptFile);
        var keys = await system.RunAsync("receipt", "keys", "--out", keysFile);
        var verified = await system.RunAsync("receipt", "verify", receiptFile, "--keys", keysFile, "--issuer", "image-manager", "-o", "json");
        var receipt = await File.ReadAllTextAsync(receiptFile);
        var parts = receipt.Trim().Split('.');
        await File.WriteAllTextAsync(receiptFile, $"{parts[0]}.{parts[1][..^2]}AA.{parts[2]}");
        var changed = await system.RunAsync("receipt", "verify", receiptFile, "--keys", keysFile);
        folder.Delete(recursive: true);

        Assert.True(got.ExitCode == 0, got.ToString());
        Assert.Matches($@"vimId\s+{vimId}", got.Stdout);
        Assert.True(keys.ExitCode == 0, keys.ToString());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal((distributionId, imageId.ToString(), vimId), (verified.Json()["distributionId"]!.GetValue<string>(),
            verified.Json()["imageId"]!.GetValue<string>(), verified.Json()["vimId"]!.GetValue<string>()));
        Assert.True(changed.ExitCode == 6, changed.ToString());
        Assert.Contains("The receipt does not verify", changed.Stderr, StringComparison.Ordinal);
    }
}

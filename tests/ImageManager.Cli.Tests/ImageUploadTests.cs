using System.Text.RegularExpressions;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary><c>image create</c> and <c>image upload</c>: the bytes arrive, with progress, and survive a broken-off upload.</summary>
[Collection(CliCollection.Name)]
public sealed class ImageUploadTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_created_and_uploaded_with_wait_the_progress_is_reported_and_the_image_ends_active()
    {
        var image = TestImage.Random(3 * 1024 * 1024);
        var created = await system.RunAsync("image", "create", "--name", system.Name("uploaded"), "--version", "1.0.0",
            "--disk-format", "raw", "--container-format", "bare", "--sha256", image.Sha256, "-o", "json");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("queued", created.Json()["status"]!.GetValue<string>());
        var imageId = created.Json()["id"]!.GetValue<string>();

        var uploaded = await system.RunAsync("image", "upload", imageId, system.WriteFile(image), "--wait", "-o", "json");

        Assert.True(uploaded.ExitCode == 0, uploaded.ToString());
        Assert.Equal("active", uploaded.Json()["status"]!.GetValue<string>());
        Assert.Equal(image.Sha256, uploaded.Json()["sha256"]!.GetValue<string>());
        Assert.Contains("upload 100%", uploaded.Stderr, StringComparison.Ordinal);
        Assert.Contains("3.0 MiB / 3.0 MiB", uploaded.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_upload_is_killed_midway_the_next_resumes_from_the_bytes_the_Api_has_and_the_same_bytes_are_stored()
    {
        var image = TestImage.Random(8 * 1024 * 1024);
        var imageId = await system.CreateImageAsync("resumed");
        var file = system.WriteFile(image);

        // Slowed to 1 MiB/s so there is a middle to kill it in: once it reports 20% or more.
        using (var first = system.StartAsAdmin("image", "upload", imageId.ToString(), file, "--limit-rate", (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            var progress = await first.WaitForStderrAsync(stderr => Regex.IsMatch(stderr, @"upload\s+[2-9]\d%"));
            Assert.Matches(@"upload\s+[2-9]\d%", progress);
            first.Kill();
        }

        var resumed = await system.RunAsync("image", "upload", imageId.ToString(), file, "--wait", "-o", "json");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches(@"Resuming the upload at byte [1-9]\d* of 8388608", resumed.Stderr);
        Assert.Equal("active", resumed.Json()["status"]!.GetValue<string>());
        Assert.Equal(image.Sha256, resumed.Json()["sha256"]!.GetValue<string>());
        Assert.Equal(image.Bytes.Length, resumed.Json()["sizeBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task When_an_image_is_imported_from_a_URL_with_wait_it_ends_active_with_those_bytes()
    {
        var image = TestImage.Random(512 * 1024);
        var imageId = await system.CreateImageAsync("imported", sha256: image.Sha256);

        var result = await system.RunAsync("image", "import", imageId.ToString(), system.Downloads.Serve(image.Bytes).ToString(), "--wait", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("active", result.Json()["status"]!.GetValue<string>());
        Assert.Equal(image.Sha256, result.Json()["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_an_import_cannot_fetch_the_file_the_cli_exits_6_with_the_reason()
    {
        var imageId = await system.CreateImageAsync("unfetchable");

        var result = await system.RunAsync("image", "import", imageId.ToString(), new Uri(system.Downloads.Serve([]), "missing.img").ToString(), "--wait");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains($"The import of image {imageId} failed:", result.Stderr, StringComparison.Ordinal);
    }
}

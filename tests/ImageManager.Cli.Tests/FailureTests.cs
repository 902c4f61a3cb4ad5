using System.Text.RegularExpressions;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary>Exit codes scripts rely on, with the Api's reason on stderr.</summary>
[Collection(CliCollection.Name)]
public sealed class FailureTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_the_image_does_not_exist_the_cli_exits_3_with_the_Apis_reason()
    {
        var missing = Guid.NewGuid();

        var result = await system.RunAsync("image", "show", missing.ToString());

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"Image not found: There is no image with id {missing}. (HTTP 404)", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task When_the_key_is_wrong_the_cli_exits_4_without_printing_the_key()
    {
        const string wrongKey = "imk_not-a-key-of-this-installation";

        var result = await system.RunPlainAsync(new Dictionary<string, string>(), "image", "list", "--url", system.ApiAddress.ToString(), "--api-key", wrongKey);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("(HTTP 401)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_key_is_given_the_cli_exits_4_naming_its_own_option_variable_and_config_file()
    {
        var result = await system.RunPlainAsync(new Dictionary<string, string>(), "image", "list", "--url", system.ApiAddress.ToString());

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("No API key was given: pass --api-key, set IMAGEMANAGER_API_KEY, or put \"apiKey\" in the config file", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_running_command_is_interrupted_with_ctrl_c_the_cli_exits_130()
    {
        var imageId = await system.CreateImageAsync("interrupted");
        var file = system.WriteFile(TestImage.Random(8 * 1024 * 1024));
        using var upload = system.StartAsAdmin("image", "upload", imageId.ToString(), file, "--limit-rate", (512 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await upload.WaitForStderrAsync(stderr => Regex.IsMatch(stderr, @"upload\s+\d+%"));

        upload.Interrupt();
        var result = await upload.WaitAsync();

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("imagemanager: interrupted.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_Api_refuses_the_request_the_cli_exits_5_with_its_reason()
    {
        var result = await system.RunAsync("image", "create", "--name", system.Name("versionless"));

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("version", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(HTTP 400)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_image_that_is_not_active_is_distributed_the_cli_exits_5_saying_so()
    {
        var imageId = await system.CreateImageAsync("inactive");
        var (first, _) = await system.GlanceVimsAsync();

        var result = await system.RunAsync("distribute", imageId.ToString(), "--vim", first, "--wait");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains($"Image not active: Image {imageId} is 'queued'; only an active image can be distributed. (HTTP 409)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_command_line_is_wrong_the_cli_exits_2_before_calling_the_Api()
    {
        var result = await system.RunAsync("image", "show", "not-a-guid");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("imagemanager image show --help", result.Stderr, StringComparison.Ordinal);
    }
}

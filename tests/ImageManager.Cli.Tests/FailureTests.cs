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

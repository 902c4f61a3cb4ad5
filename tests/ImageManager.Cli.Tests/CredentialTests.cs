namespace ImageManager.Cli.Tests;

/// <summary>Where the CLI finds the Api and the key when no option says: the environment, then the config file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are how a private config file is told apart
[Collection(CliCollection.Name)]
public sealed class CredentialTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_the_url_and_key_are_in_the_environment_the_cli_uses_them()
    {
        var imageId = await system.CreateImageAsync("from-env");
        var environment = new Dictionary<string, string> { ["IMAGEMANAGER_URL"] = system.ApiAddress.ToString(), ["IMAGEMANAGER_API_KEY"] = system.AdminKey };

        var result = await system.RunPlainAsync(environment, "image", "show", imageId.ToString(), "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(imageId.ToString(), result.Json()["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_url_and_key_are_in_a_private_config_file_the_cli_uses_them()
    {
        var imageId = await system.CreateImageAsync("from-config");
        var config = WriteConfig(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await system.RunPlainAsync(new Dictionary<string, string> { ["IMAGEMANAGER_CONFIG"] = config }, "image", "show", imageId.ToString(), "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(imageId.ToString(), result.Json()["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_config_file_is_readable_by_others_the_cli_refuses_it_with_exit_2_and_says_why()
    {
        var config = WriteConfig(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await system.RunPlainAsync(new Dictionary<string, string> { ["IMAGEMANAGER_CONFIG"] = config }, "image", "list");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("others may read or change it (mode 644); make it yours alone: chmod 600", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(system.AdminKey, result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    string WriteConfig(UnixFileMode mode)
    {
        var path = Path.Combine(system.WorkDirectory, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""{"url": "{{system.ApiAddress}}", "apiKey": "{{system.AdminKey}}"}""");
        File.SetUnixFileMode(path, mode);
        return path;
    }
}

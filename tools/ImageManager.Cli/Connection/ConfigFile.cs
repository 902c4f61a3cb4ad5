using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageManager.Cli.Connection;

/// <summary>
/// <c>$IMAGEMANAGER_CONFIG</c> or <c>~/.config/imagemanager/config.json</c>: <c>{"url": "...", "apiKey": "..."}</c>.
/// It holds a secret, so one that others may read is refused rather than used.
/// </summary>
public sealed record ConfigFile
{
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("apiKey")]
    public string? ApiKey { get; init; }

    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "imagemanager", "config.json");

    /// <summary>The file at <paramref name="path"/>; null when it does not exist and was not asked for by name.</summary>
    public static ConfigFile? Read(string path, bool named)
    {
        if (!File.Exists(path))
        {
            return named ? throw new CliException(ExitCodes.Usage, $"The config file {path} (IMAGEMANAGER_CONFIG) does not exist.") : null;
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
            var mode = File.GetUnixFileMode(path);
            if ((mode & others) != 0)
            {
                throw new CliException(ExitCodes.Usage,
                    $"The config file {path} holds an API key but others may read or change it (mode {Convert.ToString((int)mode, 8)}); " +
                    $"make it yours alone: chmod 600 {path}");
            }
        }

        try
        {
            return JsonSerializer.Deserialize<ConfigFile>(File.ReadAllText(path)) ?? new ConfigFile();
        }
        catch (JsonException exception)
        {
            throw new CliException(ExitCodes.Usage, $"The config file {path} is not JSON of the form {{\"url\": ..., \"apiKey\": ...}}: {exception.Message}");
        }
    }
}

namespace ImageManager.Cli.Connection;

/// <summary>
/// Finds the Api and the credential: command-line options first, then the environment (<c>IMAGEMANAGER_URL</c>,
/// <c>IMAGEMANAGER_API_KEY</c>), then the config file (<see cref="ConfigFile"/>). Each of the two is taken from the first
/// place that has it.
/// </summary>
public static class CredentialSource
{
    public const string UrlVariable = "IMAGEMANAGER_URL";
    public const string KeyVariable = "IMAGEMANAGER_API_KEY";
    public const string ConfigVariable = "IMAGEMANAGER_CONFIG";

    public static ApiConnection Resolve(string? url, string? apiKey)
    {
        url = NonEmpty(url) ?? NonEmpty(Environment.GetEnvironmentVariable(UrlVariable));
        apiKey = NonEmpty(apiKey) ?? NonEmpty(Environment.GetEnvironmentVariable(KeyVariable));
        if (url is null || apiKey is null)
        {
            var named = NonEmpty(Environment.GetEnvironmentVariable(ConfigVariable));
            var config = ConfigFile.Read(named ?? ConfigFile.DefaultPath, named is not null);
            url ??= NonEmpty(config?.Url);
            apiKey ??= NonEmpty(config?.ApiKey);
        }

        if (url is null)
        {
            throw new CliException(ExitCodes.Usage,
                $"Where is the Api? Give --url, or set {UrlVariable}, or put \"url\" in the config file ({ConfigFile.DefaultPath} or ${ConfigVariable}).");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"The Api address '{url}' is not an http or https URL.");
        }

        return new ApiConnection(address, apiKey);
    }

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

using System.CommandLine;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Connection;

/// <summary>The options every command takes: where the Api is, the credential, and the output format.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = "The Api's base address, e.g. http://127.0.0.1:5080 (else IMAGEMANAGER_URL, else the config file).",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "An API key or a JWT, sent as 'Authorization: Bearer' (else IMAGEMANAGER_API_KEY, else the config file).",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (for people, the default) or json (the Api's JSON as it is, for scripts).",
        DefaultValueFactory = _ => OutputFormat.Table,
        HelpName = "table|json",
        Recursive = true,
    };

    public Option<bool> Wide { get; } = new("--wide")
    {
        Description = "Tables with every column and full ids, whatever the terminal's width (piped output always has them).",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(Url);
        root.Add(ApiKey);
        root.Add(Output);
        root.Add(Wide);
    }
}

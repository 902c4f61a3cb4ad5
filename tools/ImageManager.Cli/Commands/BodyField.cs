using System.CommandLine;
using System.Text.Json.Nodes;

namespace ImageManager.Cli.Commands;

/// <summary>An option that sets one field of a request body (create, or a merge patch when updating).</summary>
public sealed class BodyField
{
    BodyField(string json, BodyFieldKind kind, Option option)
    {
        Json = json;
        Kind = kind;
        Option = option;
    }

    public string Json { get; }
    public BodyFieldKind Kind { get; }
    public Option Option { get; }

    public static BodyField Of(string name, string json, BodyFieldKind kind, string description)
    {
        Option option = kind switch
        {
            BodyFieldKind.Number => new Option<long?>(name) { Description = description },
            BodyFieldKind.Boolean => new Option<bool?>(name) { Description = description },
            BodyFieldKind.List or BodyFieldKind.Map => new Option<string[]>(name) { Description = description + " (repeat for more)" },
            _ => new Option<string?>(name) { Description = description },
        };
        return new BodyField(json, kind, option);
    }

    /// <summary>Sets the field on <paramref name="body"/> when the option was given.</summary>
    public void WriteTo(JsonObject body, CommandContext context)
    {
        switch (Kind)
        {
            case BodyFieldKind.Number when context.Parse.GetValue((Option<long?>)Option) is { } number:
                body[Json] = number;
                break;
            case BodyFieldKind.Boolean when context.Parse.GetValue((Option<bool?>)Option) is { } flag:
                body[Json] = flag;
                break;
            case BodyFieldKind.List when context.Parse.GetValue((Option<string[]>)Option) is { Length: > 0 } items:
                body[Json] = new JsonArray(items.Select(item => (JsonNode?)item).ToArray());
                break;
            case BodyFieldKind.Map when context.Parse.GetValue((Option<string[]>)Option) is { Length: > 0 } pairs:
                var map = new JsonObject();
                foreach (var pair in pairs)
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new CliException(ExitCodes.Usage, $"{Option.Name} is written key=value; got '{pair}'.");
                    }

                    map[pair[..equals]] = pair[(equals + 1)..];
                }

                body[Json] = map;
                break;
            case BodyFieldKind.Text when context.Parse.GetValue((Option<string?>)Option) is { } text:
                body[Json] = text;
                break;
        }
    }

    /// <summary>
    /// The request body: the JSON of <c>--body</c> (a file, or - for stdin) if given, then each field option over it.
    /// </summary>
    public static JsonObject Compose(CommandContext context, Option<string?> bodyOption, IEnumerable<BodyField> fields)
    {
        var body = new JsonObject();
        if (context.Parse.GetValue(bodyOption) is { } source)
        {
            var text = source == "-" ? Console.In.ReadToEnd() : ReadFile(source);
            body = JsonNode.Parse(text) as JsonObject ?? throw new CliException(ExitCodes.Usage, $"--body {source} is not a JSON object.");
        }

        foreach (var field in fields)
        {
            field.WriteTo(body, context);
        }

        return body;
    }

    public static Option<string?> BodyOption() => new("--body")
    {
        Description = "A JSON file (or - for stdin) with the request body; the options above set fields over it.",
    };

    static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new CliException(ExitCodes.Usage, $"There is no file {path}.");
}

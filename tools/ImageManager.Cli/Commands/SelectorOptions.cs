using System.CommandLine;
using System.Text.Json.Nodes;

namespace ImageManager.Cli.Commands;

/// <summary>
/// <c>--vim</c>, <c>--region</c>, <c>--tag</c> (and, where every VIM may be meant, <c>--all-vims</c>): the VIMs a request
/// names or chooses, put in its body as the Api takes them, <c>vimIds</c> and <c>selector</c>.
/// </summary>
public sealed class SelectorOptions
{
    readonly Option<bool>? _allVims;

    /// <param name="narrowing">The options narrow a set the request already has (a recall's VIMs), rather than choose targets.</param>
    /// <param name="offerAll">Whether <c>--all-vims</c> is offered.</param>
    public SelectorOptions(bool narrowing, bool offerAll)
    {
        var every = narrowing ? "Only VIMs" : "Every VIM";
        Vims = new("--vim") { Description = narrowing ? "Only this VIM (repeat for more)." : "A target VIM id (repeat for more)." };
        Region = new("--region") { Description = $"{every} of this region." };
        Tags = new("--tag") { Description = $"{every} with this tag (repeat: with every one)." };
        _allVims = offerAll ? new Option<bool>("--all-vims") { Description = "Every registered VIM." } : null;
    }

    public Option<string[]> Vims { get; }
    public Option<string?> Region { get; }
    public Option<string[]> Tags { get; }

    public void AddTo(Command command)
    {
        command.Add(Vims);
        command.Add(Region);
        command.Add(Tags);
        if (_allVims is not null)
        {
            command.Add(_allVims);
        }
    }

    /// <summary>Adds <c>vimIds</c> and <c>selector</c> to <paramref name="request"/> as given; false when neither was.</summary>
    public bool ApplyTo(CommandContext context, JsonObject request)
    {
        if (context.Value(Vims) is { Length: > 0 } ids)
        {
            request["vimIds"] = new JsonArray([.. ids.Select(id => (JsonNode?)id)]);
        }

        var selector = new JsonObject();
        if (_allVims is not null && context.Value(_allVims))
        {
            selector["all"] = true;
        }

        if (context.Value(Region) is { } region)
        {
            selector["region"] = region;
        }

        if (context.Value(Tags) is { Length: > 0 } tags)
        {
            selector["tags"] = new JsonArray([.. tags.Select(tag => (JsonNode?)tag)]);
        }

        if (selector.Count > 0)
        {
            request["selector"] = selector;
        }

        return request.ContainsKey("vimIds") || selector.Count > 0;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;

namespace ImageManager.Cli.Commands;

/// <summary>
/// <c>--limit</c>, <c>--marker</c> and <c>--all</c> for the Api's keyset-paged lists, which answer
/// <c>{"&lt;items&gt;": [...], "next": marker-or-null}</c>.
/// </summary>
public sealed class PagingOptions
{
    public Option<int?> Limit { get; } = new("--limit") { Description = "At most this many on the page (the Api's limits apply)." };
    public Option<string?> Marker { get; } = new("--marker") { Description = "Start after this marker: the 'next' of the previous page." };
    public Option<bool> All { get; } = new("--all") { Description = "Every page, following 'next' to the end." };

    public void AddTo(Command command)
    {
        command.Add(Limit);
        command.Add(Marker);
        command.Add(All);
    }

    /// <summary>
    /// Fetches the page (or, with --all, every page) of <paramref name="path"/> with <paramref name="query"/>; the items
    /// of all pages are joined into the first page's JSON, whose <c>next</c> then is the last page's.
    /// </summary>
    public async Task<string> FetchAsync(CommandContext context, string path, string itemsField, List<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        var all = context.Value(All);
        var marker = context.Value(Marker);
        if (context.Value(Limit) is { } limit)
        {
            query.Add(new("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        JsonObject? first = null;
        while (true)
        {
            var page = new List<KeyValuePair<string, string>>(query);
            if (marker is not null)
            {
                page.Add(new("marker", marker));
            }

            var answer = await context.Api.GetAsync(path + QueryString(page), cancellationToken);
            if (!all)
            {
                return answer.Body;
            }

            var node = JsonNode.Parse(answer.Body) as JsonObject ?? throw new CliException(ExitCodes.Unexpected, $"{path} did not answer a JSON object.");
            if (first is null)
            {
                first = node;
            }
            else if (node[itemsField] is JsonArray items && first[itemsField] is JsonArray joined)
            {
                foreach (var item in items.ToList())
                {
                    items.Remove(item);
                    joined.Add(item);
                }
            }

            marker = node["next"]?.GetValue<string>();
            first["next"] = marker;
            if (marker is null)
            {
                return first.ToJsonString();
            }
        }
    }

    public static string QueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var parts = query.Select(p => ApiClient.Escape(p.Key) + "=" + ApiClient.Escape(p.Value)).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace ImageManager.Cli.Output;

/// <summary>
/// Writes results on stdout: the Api's JSON as it is with <c>--output json</c>, else tables and short sentences.
/// Progress and reasons go to stderr (<see cref="ProgressBar"/>, <see cref="CliApplication"/>), so stdout stays parseable.
/// </summary>
public sealed class ResultWriter(OutputFormat format, bool wide = false)
{
    public OutputFormat Format { get; } = format;
    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>The Api's answer: as it is with json, else as <paramref name="table"/> renders it.</summary>
    public void Answer(string body, Action<JsonNode> table)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        if (IsJson)
        {
            Console.Out.WriteLine(body);
            return;
        }

        if (JsonNode.Parse(body) is { } node)
        {
            table(node);
        }
    }

    /// <summary>One line for people; nothing with json (scripts read the JSON).</summary>
    public void Say(string line)
    {
        if (!IsJson)
        {
            Console.Out.WriteLine(line);
        }
    }

    /// <summary>
    /// A table that fits the terminal (<see cref="FittedTable"/>); with <c>--wide</c>, or piped to another program, every
    /// column in full. <paramref name="dropFirst"/>: the headers least needed, left out first when it is too wide.
    /// </summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlyList<string>? dropFirst = null)
    {
        foreach (var line in FittedTable.Render(headers, [.. rows], wide ? null : TerminalWidth(), dropFirst))
        {
            Console.Out.WriteLine(line);
        }
    }

    /// <summary>One resource as field/value rows, in the order of <paramref name="fields"/>; the rest of its fields follow.</summary>
    public void Fields(JsonNode resource, params string[] fields)
    {
        if (resource is not JsonObject obj)
        {
            Console.Out.WriteLine(resource.ToJsonString());
            return;
        }

        var order = fields.Where(obj.ContainsKey).Concat(obj.Select(p => p.Key).Where(k => !fields.Contains(k)));
        // Never without its values: too wide, the longest values are cut instead.
        Table(["FIELD", "VALUE"], order.Select(key => new[] { key, key == "counts" ? Counts(obj[key]) : Cell(obj[key]) }), dropFirst: []);
    }

    /// <summary>
    /// A JSON value as a cell for people: strings as they are, lists joined, objects summed up as "name value" pairs with
    /// the empty ones left out (a cell of raw JSON is for scripts, which have <c>-o json</c>).
    /// </summary>
    public static string Cell(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        JsonArray array when array.All(item => item is JsonValue) => string.Join(",", array.Select(Cell)),
        JsonArray array => string.Join("; ", array.Select(Cell)),
        JsonObject obj => string.Join(", ", obj.Select(p => (p.Key, Value: Cell(p.Value))).Where(p => p.Value.Length > 0)
            .Select(p => obj[p.Key] is JsonObject ? $"{p.Key} ({p.Value})" : $"{p.Key} {p.Value}")),
        _ => node.ToJsonString(),
    };

    /// <summary>Targets per state in words, the states with none left out: "3 active, 1 failed"; "none" when all are 0.</summary>
    public static string Counts(JsonNode? counts)
    {
        if (counts is not JsonObject states)
        {
            return Cell(counts);
        }

        var some = states.Where(s => s.Value is JsonValue v && v.TryGetValue<int>(out var n) && n > 0).Select(s => $"{s.Value} {s.Key}").ToList();
        return some.Count == 0 ? "none" : string.Join(", ", some);
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>
    /// <c>COLUMNS</c> when set (as shells export it, and to ask for a width), else the terminal's; none when the output
    /// goes to a pipe or a file: the next program gets every column in full.
    /// </summary>
    static int? TerminalWidth()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0)
        {
            return columns;
        }

        return Console.IsOutputRedirected ? null : Math.Max(Console.WindowWidth, 40);
    }
}

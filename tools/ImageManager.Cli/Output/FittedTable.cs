using System.Text;
using System.Text.RegularExpressions;

namespace ImageManager.Cli.Output;

/// <summary>
/// A plain table that fits a width: columns two spaces apart, no borders, no trailing spaces. Too wide, it shortens ids
/// (a UUID to its last 12 digits), then leaves out the columns a command named as least needed, then cuts the widest
/// cells with an ellipsis; it never wraps a cell over lines. Without a width (output piped to another program) every
/// column is shown in full. Written here because Spectre.Console's table wraps cells ("VERS/ION") rather than dropping
/// columns, and pads every line to the console's width.
/// </summary>
public static partial class FittedTable
{
    const string Gap = "  ";
    const char Ellipsis = '…';

    /// <param name="width">The width to fit; null: no limit.</param>
    /// <param name="dropFirst">Headers that may be left out when the table is too wide, the first named going first; by
    /// default the columns from the right, all but the first.</param>
    public static IEnumerable<string> Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string?>> rows, int? width,
        IReadOnlyList<string>? dropFirst = null)
    {
        var columns = Enumerable.Range(0, headers.Count).ToList();
        var cells = rows.Select(row => Enumerable.Range(0, headers.Count).Select(i => Clean(i < row.Count ? row[i] : null)).ToArray()).ToList();
        if (width is { } limit)
        {
            if (Total(headers, cells, columns) > limit)
            {
                cells = [.. cells.Select(row => row.Select(ShortenId).ToArray())];
            }

            foreach (var header in dropFirst ?? [.. headers.Skip(1).Reverse()])
            {
                if (Total(headers, cells, columns) <= limit || columns.Count == 1)
                {
                    break;
                }

                columns.Remove(IndexOf(headers, header));
            }

            CutToFit(headers, cells, columns, limit);
        }

        var widths = columns.ToDictionary(c => c, c => Width(headers, cells, c));
        yield return Line(columns, widths, c => headers[c]);
        foreach (var row in cells)
        {
            yield return Line(columns, widths, c => row[c]);
        }
    }

    static string Line(List<int> columns, Dictionary<int, int> widths, Func<int, string> text)
    {
        var line = new StringBuilder();
        for (var i = 0; i < columns.Count; i++)
        {
            var cell = text(columns[i]);
            line.Append(i == columns.Count - 1 ? cell : cell.PadRight(widths[columns[i]]) + Gap);
        }

        return line.ToString().TrimEnd();
    }

    /// <summary>Still too wide: the widest shown cells are cut, one character at a time, keeping every header whole.</summary>
    static void CutToFit(IReadOnlyList<string> headers, List<string[]> cells, List<int> columns, int limit)
    {
        while (Total(headers, cells, columns) > limit)
        {
            var widest = columns.MaxBy(c => Width(headers, cells, c));
            var target = Width(headers, cells, widest) - 1;
            if (target < Math.Max(headers[widest].Length, 2))
            {
                return; // nothing more to cut: the headers alone are wider than the line
            }

            foreach (var row in cells.Where(row => row[widest].Length > target))
            {
                row[widest] = row[widest][..(target - 1)] + Ellipsis;
            }
        }
    }

    static int Total(IReadOnlyList<string> headers, List<string[]> cells, List<int> columns) =>
        columns.Sum(c => Width(headers, cells, c)) + (Gap.Length * (columns.Count - 1));

    static int Width(IReadOnlyList<string> headers, List<string[]> cells, int column) =>
        cells.Select(row => row[column].Length).Prepend(headers[column].Length).Max();

    static int IndexOf(IReadOnlyList<string> headers, string header)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i] == header)
            {
                return i;
            }
        }

        throw new ArgumentException($"No column '{header}' to leave out.", nameof(header));
    }

    /// <summary>One line per cell: a newline or tab in a value (a description, an error) would break the columns.</summary>
    static string Clean(string? cell) => cell is null ? "" : Whitespace().Replace(cell, " ");

    static string ShortenId(string cell) => Uuid().IsMatch(cell) ? Ellipsis + cell[^12..] : cell;

    [GeneratedRegex(@"[\r\n\t]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex Uuid();
}

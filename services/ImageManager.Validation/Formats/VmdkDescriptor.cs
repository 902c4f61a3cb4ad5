using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageManager.Validation.Formats;

/// <summary>The parts of a vmdk text descriptor that decide whether the image is self-contained.</summary>
public sealed partial record VmdkDescriptor(string? CreateType, IReadOnlyList<VmdkExtent> Extents)
{
    public static VmdkDescriptor Parse(string text)
    {
        string? createType = null;
        var extents = new List<VmdkExtent>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (CreateTypeLine().Match(line) is { Success: true } createTypeMatch)
            {
                createType = createTypeMatch.Groups["type"].Value;
            }
            else if (ExtentLine().Match(line) is { Success: true } extent)
            {
                extents.Add(new VmdkExtent(
                    extent.Groups["access"].Value,
                    long.TryParse(extent.Groups["sectors"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sectors) ? sectors : -1,
                    extent.Groups["type"].Value.ToUpperInvariant(),
                    extent.Groups["file"].Success ? extent.Groups["file"].Value : null));
            }
        }

        return new VmdkDescriptor(createType, extents);
    }

    [GeneratedRegex("""^createType\s*=\s*"?(?<type>[^"\s]*)"?""")]
    private static partial Regex CreateTypeLine();

    // qemu reads access, size in sectors, type, then an optional quoted file name and offset.
    [GeneratedRegex("""^(?<access>RW|RDONLY|NOACCESS)\s+(?<sectors>\d+)\s+(?<type>\w+)(?:\s+"(?<file>[^"]*)")?""")]
    private static partial Regex ExtentLine();
}

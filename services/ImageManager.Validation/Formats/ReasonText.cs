using System.Globalization;
using System.Text;

namespace ImageManager.Validation.Formats;

/// <summary>How values found in an image appear in a rejection reason, which a person reads.</summary>
public static class ReasonText
{
    const int MaxQuotedLength = 200;
    static readonly string[] Units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary>"100 TiB (109951162777600 bytes)".</summary>
    public static string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
        }

        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]} ({bytes} bytes)");
    }

    /// <summary>A name read from the image, quoted; control characters and excess length cannot garble the reason.</summary>
    public static string Quote(ReadOnlySpan<byte> name) => Quote(Encoding.UTF8.GetString(name));

    /// <summary>A name read from an archive or a manifest, quoted the same way.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(Math.Min(text.Length, MaxQuotedLength) + 3).Append('\'');
        foreach (var c in text.Length > MaxQuotedLength ? text[..MaxQuotedLength] : text)
        {
            quoted.Append(char.IsControl(c) ? '?' : c);
        }

        return quoted.Append(text.Length > MaxQuotedLength ? "…'" : "'").ToString();
    }
}

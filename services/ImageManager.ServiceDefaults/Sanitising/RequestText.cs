using System.Globalization;

namespace ImageManager.ServiceDefaults.Sanitising;

/// <summary>
/// The rule for text a request brings: no NUL or other control character (C0, DEL, C1) and no lone surrogate, so that
/// what is stored can be shown and logged as it is. Free text (a description, a PEM bundle) may keep its line breaks and tabs.
/// </summary>
public static class RequestText
{
    /// <summary>Why <paramref name="field"/> cannot take <paramref name="value"/>, in words; null when it can (or is absent).</summary>
    public static string? ProblemWith(string field, string? value, bool lineBreaksAllowed = false)
    {
        var at = FirstUnacceptable(value, lineBreaksAllowed);
        if (at < 0)
        {
            return null;
        }

        var what = char.IsSurrogate(value![at]) ? "an unpaired surrogate" : $"the control character U+{(int)value[at]:X4}";
        var allowed = lineBreaksAllowed ? "printable characters, line breaks and tabs" : "printable characters only";
        return string.Create(CultureInfo.InvariantCulture, $"{field} holds {what} at position {at}; it takes {allowed}.");
    }

    /// <summary>
    /// Why <paramref name="field"/>, a name people give and read (an image's name and version, a VIM's region, a key's
    /// name), cannot take <paramref name="value"/>; null when it can. Stricter than <see cref="ProblemWith"/>: no invisible
    /// or direction-changing character either (format characters such as U+200B zero width space, U+200D zero width
    /// joiner, U+2060 word joiner, U+FEFF; the bidirectional controls U+202A..U+202E and U+2066..U+2069; line and paragraph
    /// separators), so that two names that look alike are alike and none reads otherwise than it is stored.
    /// </summary>
    public static string? ProblemWithName(string field, string? value)
    {
        if (ProblemWith(field, value) is { } problem)
        {
            return problem;
        }

        for (var i = 0; value is not null && i < value.Length; i++)
        {
            if (char.GetUnicodeCategory(value, i) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                var codePoint = char.ConvertToUtf32(value, i);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{field} holds the invisible or direction-changing character U+{codePoint:X4} at position {i}; a name takes visible characters only (letters of any script, digits, punctuation, spaces).");
            }

            if (char.IsHighSurrogate(value[i]))
            {
                i++;
            }
        }

        return null;
    }

    /// <summary>Where the first character the rule refuses is, or -1.</summary>
    public static int FirstUnacceptable(string? value, bool lineBreaksAllowed = false)
    {
        if (value is null)
        {
            return -1;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && !(lineBreaksAllowed && c is '\t' or '\n' or '\r')))
            {
                return i;
            }
        }

        return -1;
    }
}

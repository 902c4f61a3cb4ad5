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

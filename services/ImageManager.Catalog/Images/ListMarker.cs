using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace ImageManager.Catalog.Images;

/// <summary>
/// Where the next page starts: the last row's sort values and id, with the order they belong to, as an opaque
/// base64url token. A marker from another order, or tampered with, is refused rather than misread.
/// </summary>
public sealed record ListMarker(string Order, IReadOnlyList<string> Values, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new MarkerJson(Order, [.. Values], Id)));

    public static ListMarker? Decode(string token)
    {
        try
        {
            var json = JsonSerializer.Deserialize<MarkerJson>(Base64Url.DecodeFromChars(token));
            return json is { O: not null, V: not null } ? new ListMarker(json.O, json.V, json.I) : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A sort value as the marker keeps it: invariant, round-trippable text.</summary>
    public static string Format(object? value) => value switch
    {
        DateTimeOffset time => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        Guid id => id.ToString("D"),
        _ => value?.ToString() ?? "",
    };

    /// <summary>The value back in the field's type, or null when the text is not one.</summary>
    public static object? Parse(string text, Type type)
    {
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
        }

        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        return type == typeof(Guid) && Guid.TryParse(text, out var id) ? id : null;
    }

    sealed record MarkerJson(string O, string[] V, Guid I);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ImageManager.ServiceDefaults.Sanitising;

namespace ImageManager.ServiceDefaults.Binding;

/// <summary>
/// Why a JSON body did not bind, in words: broken JSON (and where: line and position), a member the body's type does
/// not have (named by its path, with the members it does have and the nearest one), or a value of the wrong type or out
/// of range (named by its path, with what it takes). The serializer knows where it stopped (the exception's path, line
/// and position); the body's type, walked along that path, knows what was expected there.
/// </summary>
public static partial class JsonBodyProblem
{
    /// <summary>Names listed with an unknown member: past this many, only the nearest is suggested.</summary>
    const int MostListedMembers = 40;

    /// <summary>System.Text.Json's (internal) exception for bytes that are not JSON.</summary>
    const string ReaderException = "JsonReaderException";

    /// <summary>
    /// The field at fault (its path; <c>body</c> for the document as a whole) and the reason, for a problem's errors and
    /// detail. <paramref name="under"/>: the member of the request that the JSON read was (its fields are named under it).
    /// </summary>
    public static (string Field, string Reason) Describe(JsonException exception, Type? bodyType = null, JsonSerializerOptions? options = null, string? under = null)
    {
        var where = exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, position {position + 1}")
            : null;
        var said = OutsideText.Sanitise(Said(exception.Message), 300);

        // The reader's own complaint: the bytes are not JSON at all (JsonDocument throws it as it is, the serializer wraps it).
        if (exception.GetType().Name == ReaderException || exception.InnerException?.GetType().Name == ReaderException)
        {
            return ("body", $"The body is not valid JSON: {said}{(where is null ? "" : $" ({where})")}.");
        }

        var segments = Segments(exception.Path);
        if (UnmappedMember().Match(exception.Message) is { Success: true } unmapped
            && (segments.Count == 0 || segments[^1] as string != unmapped.Groups["name"].Value))
        {
            segments.Add(unmapped.Groups["name"].Value);
        }

        var walked = Walk(bodyType, segments, options ?? JsonSerializerOptions.Web);
        List<object> shown = under is null ? segments : [under, .. segments];
        var field = Field(shown);
        if (walked.UnknownAt is { } unknownAt)
        {
            var at = unknownAt + shown.Count - segments.Count;
            var unknown = Field(shown.Take(at + 1).ToList());
            return (unknown, UnknownMember(unknown, (string)shown[at], Field(shown.Take(at).ToList()), walked.Members!));
        }

        if (walked.Type is { } expected)
        {
            var name = field.Length == 0 ? "The body" : field;
            return (field.Length == 0 ? "body" : field, $"{name} is {ExpectedValue.Of(expected)}; the value{(where is null ? "" : $" at {where}")} is not.");
        }

        return (field.Length == 0 ? "body" : field, $"{(field.Length == 0 ? "The body" : field)} could not be read: {said}{(where is null ? "" : $" ({where})")}.");
    }

    static string UnknownMember(string field, string name, string parent, IReadOnlyList<string> members)
    {
        var of = parent.Length == 0 ? "the body" : $"'{parent}'";
        var nearest = members
            .Select(member => (member, distance: Distance(member.ToUpperInvariant(), name.ToUpperInvariant())))
            .Where(m => m.distance <= Math.Max(2, name.Length / 3))
            .OrderBy(m => m.distance)
            .Select(m => m.member)
            .FirstOrDefault();
        var suggestion = nearest is null ? "" : $" Did you mean '{nearest}'?";
        var list = members.Count == 0 ? $" {of} has no members."
            : members.Count <= MostListedMembers ? $" The members of {of} are: {string.Join(", ", members)}."
            : "";
        return $"'{OutsideText.Sanitise(field, 200)}' is not a member of {of}; unknown members are refused rather than ignored.{suggestion}{list}";
    }

    /// <summary>Follows <paramref name="segments"/> through the body's type: the type at the end, or where a member is unknown.</summary>
    static (Type? Type, int? UnknownAt, IReadOnlyList<string>? Members) Walk(Type? bodyType, List<object> segments, JsonSerializerOptions options)
    {
        if (bodyType is null)
        {
            return (null, null, null);
        }

        var current = options.GetTypeInfo(bodyType);
        for (var i = 0; i < segments.Count; i++)
        {
            switch (current.Kind, segments[i])
            {
                case (JsonTypeInfoKind.Object, string name):
                    var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    var property = current.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
                    if (property is null)
                    {
                        return (null, i, current.Properties.Select(p => p.Name).ToList());
                    }

                    current = options.GetTypeInfo(property.PropertyType);
                    break;
                case (JsonTypeInfoKind.Enumerable, int):
                case (JsonTypeInfoKind.Dictionary, string):
                    current = options.GetTypeInfo(current.ElementType!);
                    break;
                default:
                    return (null, null, null);
            }
        }

        return (current.Type, null, null);
    }

    /// <summary><c>$.strategy.maxParallel</c>, <c>$.vimIds[2]</c>, <c>$['odd name']</c> as members (strings) and indexes (numbers).</summary>
    static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        if (path is null || !path.StartsWith('$'))
        {
            return segments;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    break;
                }

                segments.Add(index);
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    static string Field(List<object> segments)
    {
        var field = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                field.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                field.Append(field.Length == 0 ? "" : ".").Append((string)segment);
            }
        }

        return field.ToString();
    }

    /// <summary>The serializer's message without the location it appends (said separately, counted from 1).</summary>
    static string Said(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var path and >= 0 ? path
            : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>Edit distance between two short names (a member's and a typo's), for the suggestion.</summary>
    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped to any \\.NET member")]
    private static partial Regex UnmappedMember();
}

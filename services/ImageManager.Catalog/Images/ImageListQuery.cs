using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace ImageManager.Catalog.Images;

/// <summary>
/// <c>GET /images</c>'s query string, checked: filters, order, page size and marker. Every problem is reported under
/// the parameter's name; a parameter that is not one of ours is a problem too (a misspelt filter must not silently
/// list everything).
/// </summary>
public sealed record ImageListQuery
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 1000;
    const int MaxSortKeys = 3;
    const int MaxRepeatedFilters = 10;

    static readonly string[] Parameters =
    [
        "kind", "name", "namePrefix", "version", "vendor", "status", "visibility", "owner", "tag", "property", "onVim", "packageId",
        "createdAfter", "createdBefore", "updatedAfter", "updatedBefore", "sort", "limit", "marker",
    ];

    public required IReadOnlyList<SortKey> Sort { get; init; }
    public int Limit { get; init; } = DefaultLimit;
    public ListMarker? Marker { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? NamePrefix { get; init; }

    /// <summary>An exact version; null with <see cref="Latest"/> set for <c>version=latest</c>.</summary>
    public string? Version { get; init; }
    public bool Latest { get; init; }
    public string? Vendor { get; init; }
    public string? Status { get; init; }
    public string? Visibility { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
    public string? OnVim { get; init; }
    public Guid? PackageId { get; init; }
    public DateTimeOffset? CreatedAfter { get; init; }
    public DateTimeOffset? CreatedBefore { get; init; }
    public DateTimeOffset? UpdatedAfter { get; init; }
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary>The order as text, e.g. <c>name:asc,createdAt:desc</c>; a marker belongs to one.</summary>
    public string Order => string.Join(",", Sort);

    public static ImageListQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>();
        void Fail(string field, string message) => problems[field] = [message];

        foreach (var unknown in query.Keys.Where(key => !Parameters.Contains(key, StringComparer.Ordinal)))
        {
            Fail(unknown, $"'{unknown}' is not a filter of this list; the parameters are {string.Join(", ", Parameters)}.");
        }

        foreach (var (key, values) in query.Where(q => q.Value.Count > 1 && q.Key is not ("tag" or "property")))
        {
            Fail(key, $"{key} is given {values.Count} times; give it once.");
        }

        var sort = ParseSort(query["sort"], Fail);
        var limit = DefaultLimit;
        if (Single(query, "limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            Fail("limit", $"limit is a whole number from 1 to {MaxLimit}; got '{limitText}'.");
        }

        ListMarker? marker = null;
        if (Single(query, "marker") is { } markerText)
        {
            marker = ListMarker.Decode(markerText);
            if (marker is null)
            {
                Fail("marker", "marker is not one this list gave out; use the 'next' value of the previous page as it is.");
            }
            else if (sort is not null && marker.Order != string.Join(",", sort))
            {
                Fail("marker", $"marker belongs to the order '{marker.Order}', not to '{string.Join(",", sort)}'; keep the same sort while paging.");
            }
            else if (sort is not null && !MarkerFits(marker, sort))
            {
                Fail("marker", "marker is not one this list gave out; use the 'next' value of the previous page as it is.");
            }
        }

        var version = Single(query, "version");
        var name = Single(query, "name");
        if (version == "latest" && name is null)
        {
            Fail("version", "version=latest needs name: the newest active version of which image?");
        }

        var tags = query["tag"].Where(tag => !string.IsNullOrEmpty(tag)).Select(tag => tag!).ToList();
        if (tags.Count > MaxRepeatedFilters)
        {
            Fail("tag", $"at most {MaxRepeatedFilters} tag filters; got {tags.Count}.");
        }

        var properties = new List<KeyValuePair<string, string>>();
        foreach (var property in query["property"])
        {
            var parts = property?.Split('=', 2);
            if (parts is not [{ Length: > 0 } key, var value])
            {
                Fail("property", $"property is written key=value; got '{property}'.");
                continue;
            }

            properties.Add(new(key, value));
        }

        if (properties.Count > MaxRepeatedFilters)
        {
            Fail("property", $"at most {MaxRepeatedFilters} property filters; got {properties.Count}.");
        }

        Guid? packageId = null;
        if (Single(query, "packageId") is { } packageText)
        {
            packageId = Guid.TryParse(packageText, out var parsed) ? parsed : null;
            if (packageId is null)
            {
                Fail("packageId", $"packageId is an image id (a UUID); got '{packageText}'.");
            }
        }

        var result = new ImageListQuery
        {
            Sort = sort ?? [],
            Limit = limit,
            Marker = marker,
            Kind = Single(query, "kind"),
            Name = name,
            NamePrefix = Single(query, "namePrefix"),
            Version = version == "latest" ? null : version,
            Latest = version == "latest",
            Vendor = Single(query, "vendor"),
            Status = Single(query, "status"),
            Visibility = Single(query, "visibility"),
            Owner = Single(query, "owner"),
            Tags = tags,
            Properties = properties,
            OnVim = Single(query, "onVim"),
            PackageId = packageId,
            CreatedAfter = Time(query, "createdAfter", Fail),
            CreatedBefore = Time(query, "createdBefore", Fail),
            UpdatedAfter = Time(query, "updatedAfter", Fail),
            UpdatedBefore = Time(query, "updatedBefore", Fail),
        };

        if (result.Kind is { } kind && !CreateImageRequestValidator.Kinds.Contains(kind))
        {
            Fail("kind", $"kind is one of {string.Join(", ", CreateImageRequestValidator.Kinds)}; got '{kind}'.");
        }

        if (result.Status is { } status && !ImageStatuses.All.Contains(status))
        {
            Fail("status", $"status is one of {string.Join(", ", ImageStatuses.All)}; got '{status}'.");
        }

        ImageFieldRules.CheckVisibility(result.Visibility, Fail);
        errors = problems;
        return problems.Count == 0 ? result : null;
    }

    static List<SortKey>? ParseSort(StringValues values, Action<string, string> fail)
    {
        var text = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(text))
        {
            return [new SortKey(SortField.All["createdAt"], Descending: false)];
        }

        var keys = new List<SortKey>();
        foreach (var part in text.Split(','))
        {
            var pieces = part.Split(':', 2);
            if (!SortField.All.TryGetValue(pieces[0], out var field))
            {
                fail("sort", $"'{pieces[0]}' is not a sort key; the keys are {string.Join(", ", SortField.All.Keys)}, each optionally :asc or :desc.");
                return null;
            }

            if (pieces.Length == 2 && pieces[1] is not ("asc" or "desc"))
            {
                fail("sort", $"the direction of '{pieces[0]}' is asc or desc; got '{pieces[1]}'.");
                return null;
            }

            if (keys.Any(key => key.Field == field))
            {
                fail("sort", $"'{pieces[0]}' is given twice in sort.");
                return null;
            }

            keys.Add(new SortKey(field, pieces.Length == 2 && pieces[1] == "desc"));
        }

        if (keys.Count > MaxSortKeys)
        {
            fail("sort", $"at most {MaxSortKeys} sort keys; got {keys.Count}.");
            return null;
        }

        return keys;
    }

    static bool MarkerFits(ListMarker marker, List<SortKey> sort) =>
        marker.Values.Count == sort.Count && sort.Select((key, i) => ListMarker.Parse(marker.Values[i], key.Field.Type)).All(value => value is not null);

    static string? Single(IQueryCollection query, string key) => query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

    static DateTimeOffset? Time(IQueryCollection query, string key, Action<string, string> fail)
    {
        if (Single(query, key) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        fail(key, $"{key} is a date and time in ISO 8601, e.g. 2026-11-22T18:00:00Z; got '{text}'.");
        return null;
    }
}

using System.Globalization;

namespace ImageManager.Catalog.Images;

/// <summary>
/// A version string read the semantic-versioning way, leniently as vendors write them: an optional <c>v</c>, one to
/// four numbers (<c>19.0.1.5</c>), an optional pre-release (<c>-rc.1</c>, which ranks below the release) and build
/// metadata (<c>+b42</c>, ignored).
/// </summary>
public sealed record SemanticVersion(IReadOnlyList<long> Numbers, IReadOnlyList<string> PreRelease) : IComparable<SemanticVersion>
{
    public static SemanticVersion? TryParse(string text)
    {
        var version = text.Trim();
        if (version.StartsWith('v') || version.StartsWith('V'))
        {
            version = version[1..];
        }

        version = version.Split('+', 2)[0];
        var parts = version.Split('-', 2);
        var numbers = new List<long>();
        foreach (var number in parts[0].Split('.'))
        {
            if (number.Length == 0 || !number.All(char.IsAsciiDigit) || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            numbers.Add(value);
        }

        if (numbers.Count is < 1 or > 4)
        {
            return null;
        }

        var preRelease = parts.Length == 2 ? parts[1].Split('.') : [];
        return preRelease.Any(identifier => identifier.Length == 0) ? null : new SemanticVersion(numbers, preRelease);
    }

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < Math.Max(Numbers.Count, other.Numbers.Count); i++)
        {
            var order = Numbers.ElementAtOrDefault(i).CompareTo(other.Numbers.ElementAtOrDefault(i));
            if (order != 0)
            {
                return order;
            }
        }

        // A release ranks above its pre-releases; pre-releases compare identifier by identifier.
        if (PreRelease.Count == 0 || other.PreRelease.Count == 0)
        {
            return other.PreRelease.Count.CompareTo(PreRelease.Count);
        }

        for (var i = 0; i < Math.Min(PreRelease.Count, other.PreRelease.Count); i++)
        {
            var order = ComparePreRelease(PreRelease[i], other.PreRelease[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return PreRelease.Count.CompareTo(other.PreRelease.Count);
    }

    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    static int Compare(SemanticVersion? left, SemanticVersion? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    static int ComparePreRelease(string left, string right)
    {
        var leftNumeric = long.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var leftNumber);
        var rightNumeric = long.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var rightNumber);
        return (leftNumeric, rightNumeric) switch
        {
            (true, true) => leftNumber.CompareTo(rightNumber),
            (true, false) => -1, // numeric identifiers rank below alphanumeric ones
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }
}

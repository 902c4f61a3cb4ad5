namespace ImageManager.Notifications.Subscriptions;

/// <summary>
/// Which notifications a subscription wants: CloudEvents types, each exact (<c>org.onap.imagemanager.image.rejected</c>)
/// or a prefix ending in <c>*</c> (<c>org.onap.imagemanager.distribution.*</c>); none means every type.
/// </summary>
public static class EventFilter
{
    public const int MaxPatterns = 20;
    const string Prefix = "org.onap.imagemanager.";

    /// <summary>The types the Api publishes (docs/notifications.md); a pattern must match at least one, so a typo is refused, not silent.</summary>
    public static readonly string[] KnownTypes =
    [
        .. new[] { "catalogued", "validated", "rejected", "updated", "deactivated", "reactivated", "deleted", "trust.withdrawn", "end-of-life.reached" }.Select(what => $"{Prefix}image.{what}"),
        .. new[] { "started", "progress", "target.changed", "completed" }.Select(what => $"{Prefix}distribution.{what}"),
        $"{Prefix}recall.completed",
    ];

    public static bool Matches(IReadOnlyCollection<string> patterns, string type) =>
        patterns.Count == 0 || patterns.Any(pattern => Matches(pattern, type));

    /// <summary>Why the patterns cannot be used, in words; null when they can.</summary>
    public static string? ProblemWith(IReadOnlyCollection<string> patterns)
    {
        if (patterns.Count > MaxPatterns)
        {
            return $"events has {patterns.Count} patterns; at most {MaxPatterns}.";
        }

        foreach (var pattern in patterns)
        {
            if (string.IsNullOrWhiteSpace(pattern) || pattern.IndexOf('*') is var star && star >= 0 && star != pattern.Length - 1)
            {
                return $"'{pattern}' is not an event pattern: give a CloudEvents type, or a prefix of one ending in '*' (such as '{Prefix}distribution.*').";
            }

            if (!KnownTypes.Any(type => Matches(pattern, type)))
            {
                return $"'{pattern}' matches no notification type; the types are {string.Join(", ", KnownTypes)}.";
            }
        }

        return null;
    }

    static bool Matches(string pattern, string type) =>
        pattern.EndsWith('*') ? type.StartsWith(pattern[..^1], StringComparison.Ordinal) : string.Equals(pattern, type, StringComparison.Ordinal);
}

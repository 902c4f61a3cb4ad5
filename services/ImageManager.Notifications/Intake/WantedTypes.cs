using ImageManager.Notifications.Subscriptions;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// The notification types some subscription wants: the known types its patterns match, or every type for one without
/// patterns (which also takes types published by a newer Api that this service does not know yet).
/// </summary>
public sealed record WantedTypes(bool EveryType, IReadOnlyCollection<string> Types)
{
    public static readonly WantedTypes None = new(false, []);

    public static WantedTypes Of(IEnumerable<IReadOnlyCollection<string>> subscriptionPatterns)
    {
        var patterns = subscriptionPatterns.ToList();
        return new WantedTypes(
            patterns.Any(events => events.Count == 0),
            EventFilter.KnownTypes.Where(type => patterns.Any(events => events.Count > 0 && EventFilter.Matches(events, type))).ToArray());
    }
}

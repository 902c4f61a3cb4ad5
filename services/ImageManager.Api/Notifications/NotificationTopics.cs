namespace ImageManager.Api.Notifications;

/// <summary>The topics subscribers poll (DMaaP style, upper case).</summary>
public static class NotificationTopics
{
    /// <summary>Images: catalogued, validated, rejected, updated, deactivated, reactivated, deleted.</summary>
    public const string ImageLifecycle = "IMAGE-LIFECYCLE";

    /// <summary>Distributions: started, target state changed, completed.</summary>
    public const string Distribution = "IMAGE-DISTRIBUTION";

    public static readonly string[] All = [ImageLifecycle, Distribution];
}

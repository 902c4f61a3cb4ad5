namespace ImageManager.Contracts.Fleet;

/// <summary>What the fleet view says of an image on one VIM.</summary>
public static class ImagePresence
{
    public const string Present = "present";
    public const string InProgress = "in-progress";
    public const string Failed = "failed";
    public const string Drifted = "drifted";
    public const string Missing = "missing";

    public static readonly string[] All = [Present, InProgress, Failed, Drifted, Missing];
}

namespace ImageManager.Distribution.Scheduling;

/// <summary>Bound from the <c>Scheduler</c> section.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>The Quartz scheduler name; every replica of the Distribution service shares it (clustered job store).</summary>
    public string Name { get; set; } = "image-manager";
}

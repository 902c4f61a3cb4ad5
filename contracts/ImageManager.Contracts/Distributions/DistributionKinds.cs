namespace ImageManager.Contracts.Distributions;

/// <summary>What a distribution does to its targets: put an image on them, take it off, deactivate it there, or recall it (remove, replace or deactivate).</summary>
public static class DistributionKinds
{
    public const string Distribution = "distribution";
    public const string Removal = "removal";

    /// <summary>
    /// Deactivates Image Manager's copies of an image on VIMs (the work of a recall with action <c>deactivate</c>), one
    /// <see cref="DeactivateImageOnVim"/> per target.
    /// </summary>
    public const string Deactivation = "deactivation";

    /// <summary>A recall (<c>Recalls.StartRecall</c>): its targets follow the removal, deactivation and successor distributions it started.</summary>
    public const string Recall = "recall";
}

namespace ImageManager.Contracts.Distributions;

/// <summary>What a distribution does to its targets: put an image on them, take it off, or recall it (remove or replace).</summary>
public static class DistributionKinds
{
    public const string Distribution = "distribution";
    public const string Removal = "removal";

    /// <summary>A recall (<c>Recalls.StartRecall</c>): its targets follow the removal and successor distributions it started.</summary>
    public const string Recall = "recall";
}

namespace ImageManager.Contracts.Distributions;

/// <summary>What a distribution does to its targets: put an image on them, or take it off.</summary>
public static class DistributionKinds
{
    public const string Distribution = "distribution";
    public const string Removal = "removal";
}

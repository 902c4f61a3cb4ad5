namespace ImageManager.Contracts.Distributions;

/// <summary>The outcomes a <see cref="DistributionCompleted"/> can carry.</summary>
public static class DistributionOutcomes
{
    public const string Succeeded = "succeeded";
    public const string PartiallyFailed = "partially-failed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

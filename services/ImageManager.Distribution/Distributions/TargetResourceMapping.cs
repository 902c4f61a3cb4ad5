using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Distributions;

/// <summary>How <see cref="TargetResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class TargetResourceMapping
{
    extension(TargetResource)
    {
        public static TargetResource From(DistributionTarget target) =>
            new(target.VimId, target.State, target.Attempt, target.VimImageId, target.LastError, target.BytesSent, target.UpdatedAt);
    }
}

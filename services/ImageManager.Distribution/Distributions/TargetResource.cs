
namespace ImageManager.Distribution.Distributions;

/// <summary>One image-VIM pair of a distribution, as the status API shows it.</summary>
public sealed record TargetResource(string VimId, string State, int Attempt, string? VimImageId, string? LastError, long BytesSent, DateTimeOffset UpdatedAt)
{
    public static TargetResource From(DistributionTarget target) =>
        new(target.VimId, target.State, target.Attempt, target.VimImageId, target.LastError, target.BytesSent, target.UpdatedAt);
}

using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Distributions;

/// <summary>How <see cref="TargetResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class TargetResourceMapping
{
    /// <summary>The most a target that is not final shows: its last bytes sent are not yet proof that the VIM has the image.</summary>
    public const double MostBeforeFinal = 0.99;

    extension(TargetResource)
    {
        public static TargetResource From(DistributionTarget target, long imageBytes) =>
            new(target.VimId, target.State, target.Attempt, target.VimImageId, target.LastError, target.BytesSent,
                ProgressOf(target.State, target.BytesSent, imageBytes), EtaOf(target.State, target.BytesSent, target.BytesPerSecond, imageBytes), target.UpdatedAt,
                target.Hub, target.HubFallback);
    }

    public static double ProgressOf(string state, long bytesSent, long imageBytes) => state switch
    {
        _ when TargetStates.IsFinal(state) => 1.0,
        TargetStates.Verifying => MostBeforeFinal,
        TargetStates.Uploading when imageBytes > 0 => Math.Round(Math.Min((double)bytesSent / imageBytes, MostBeforeFinal), 4),
        _ => 0.0,
    };

    public static double? EtaOf(string state, long bytesSent, double? bytesPerSecond, long imageBytes) => state switch
    {
        _ when TargetStates.IsFinal(state) => 0,
        TargetStates.Uploading when bytesPerSecond > 0 && imageBytes > 0 => TenthsUp(Math.Max(0, imageBytes - bytesSent) / bytesPerSecond.Value),
        _ => null,
    };

    /// <summary>Time left in tenths of a second, rounded up: a transfer with bytes still to go never shows none left.</summary>
    public static double TenthsUp(double seconds) => Math.Ceiling(Math.Round(seconds * 10, 6)) / 10;
}

using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// The order of a target's events: by attempt, then by step within an attempt (uploading, removing or deactivating, verifying, then the
/// attempt's end: pending for a retry, or a final state). An event counts only if it is further than the target.
/// </summary>
public static class TargetProgress
{
    public static int Of(int attempt, string state) => (attempt * 10) + state switch
    {
        TargetStates.Pending when attempt == 0 => 0,
        TargetStates.Uploading or TargetStates.Removing or TargetStates.Deactivating => 1,
        TargetStates.Verifying => 2,
        TargetStates.Pending => 3,
        _ => 4,
    };
}

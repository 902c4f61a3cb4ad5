using System.Globalization;

namespace ImageManager.Testing;

/// <summary>
/// What the status API showed of a distribution with one target at one moment of a watch (<see cref="ProgressWatch"/>):
/// the target's state, bytes sent, progress and ETA, and the distribution's progress and ETA.
/// </summary>
public sealed record ProgressSnapshot(
    TimeSpan At, string State, long BytesSent, double Progress, double? EtaSeconds, double DistributionProgress, double? DistributionEtaSeconds, DateTimeOffset UpdatedAt)
{
    /// <summary>One line of a transcript: time, state, bytes sent, progress, ETA (the target's, then the distribution's).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{At.TotalSeconds,6:0.0} s  {State,-10} bytesSent {BytesSent,11:N0}  progress {Progress,6:P1}  eta {Eta(EtaSeconds),7}  | distribution progress {DistributionProgress,6:P1}  eta {Eta(DistributionEtaSeconds),7}");

    static string Eta(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0} s") : "-";
}

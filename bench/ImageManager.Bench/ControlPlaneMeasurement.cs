namespace ImageManager.Bench;

/// <summary>One control-plane run: how long the distribution took, each process's peak resident set, and the table's rows.</summary>
public sealed record ControlPlaneMeasurement(
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, long> PeakResidentBytes,
    List<(string What, string Ours, string Reference, string Ratio)> Rows);

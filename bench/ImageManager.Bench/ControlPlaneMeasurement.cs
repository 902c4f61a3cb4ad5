namespace ImageManager.Bench;

/// <summary>
/// One control-plane run: how long the distribution took, each process's peak resident set, the CPU seconds each
/// component of the machine spent on it (<see cref="ComponentCpuTime"/>), and the table's rows.
/// </summary>
public sealed record ControlPlaneMeasurement(
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, long> PeakResidentBytes,
    IReadOnlyList<(string Component, double Seconds)> CpuSeconds,
    List<(string What, string Ours, string Reference, string Ratio)> Rows);

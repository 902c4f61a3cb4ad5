namespace ImageManager.Bench;

/// <summary>One upload of the scanning bench: from the PUT's 202 to <c>active</c>, and the CPU seconds clamd and the Validation process spent meanwhile.</summary>
public readonly record struct ScanningRound(TimeSpan Validation, double ClamdCpu, double ValidationCpu);

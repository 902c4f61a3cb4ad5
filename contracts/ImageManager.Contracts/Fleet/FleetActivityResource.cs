namespace ImageManager.Contracts.Fleet;

/// <summary>The caller's distributions (not removals) now: running, and finished with failures (failed or partially failed).</summary>
public sealed record FleetActivityResource(int DistributionsRunning, int DistributionsFailed, int DistributionsPartiallyFailed, int DistributionsSucceeded);

namespace ImageManager.EndToEnd.Tests;

/// <summary><see cref="RegionalSystemFixture"/> with quorum queues on the local broker, as a cluster runs them.</summary>
public sealed class RegionalQuorumSystemFixture() : RegionalSystemFixture("e2e-regional-quorum", quorumQueues: true);

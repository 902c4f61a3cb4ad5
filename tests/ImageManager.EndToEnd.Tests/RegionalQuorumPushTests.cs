using Xunit.Abstractions;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// The regional worker killed mid-distribution (<see cref="RegionalPushScenarios"/>) with quorum queues, as a cluster runs
/// them: the regional queue dead-letters at least once to the central one.
/// </summary>
public sealed class RegionalQuorumPushTests(RegionalQuorumSystemFixture system, ITestOutputHelper output)
    : RegionalPushScenarios(system, output), IClassFixture<RegionalQuorumSystemFixture>;

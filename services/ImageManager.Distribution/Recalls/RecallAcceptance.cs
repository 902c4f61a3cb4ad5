using ImageManager.Contracts.Recalls;
using ImageManager.Distribution.Distributions;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// What became of a request to recall: accepted (written with its targets and started; <see cref="Existed"/> when a repeat
/// found it written already), answered as a dry run (<see cref="DryRun"/>, nothing written), or refused.
/// </summary>
public sealed record RecallAcceptance(Guid RecallId, DistributionRefusal? Refusal, int TargetCount = 0, int SuccessorPresentCount = 0, bool Existed = false, RecallDryRunResource? DryRun = null);

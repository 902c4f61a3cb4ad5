using ImageManager.Contracts.Distributions;

namespace ImageManager.Contracts.Recalls;

/// <summary>
/// <c>GET /api/v1/recalls/{id}</c>: the recall (why, what, its successor and its work: the removal and the successor's
/// distributions it started; for <c>deactivate</c>, the deactivation) with its progress as a distribution of kind <c>recall</c>: state, outcome, counts per target
/// state and the first targets. Target states: <c>pending</c>, <c>successor-pending</c>, <c>successor-present</c>,
/// <c>removing</c>, then <c>removed</c>, <c>released</c> or <c>failed</c>; for <c>deactivate</c>: <c>pending</c>,
/// <c>deactivating</c>, then <c>deactivated</c>, <c>skipped</c> (the copy is not Image Manager's to deactivate) or <c>failed</c>.
/// </summary>
public sealed record RecallResource(
    Guid Id,
    Guid ImageId,
    string Action,
    RecallReason Reason,
    Guid? SuccessorImageId,
    Guid? RetryOf,
    IReadOnlyList<Guid> RemovalIds,
    IReadOnlyList<Guid> SuccessorDistributionIds,
    DistributionResource Progress,
    IReadOnlyList<Guid>? DeactivationIds = null);

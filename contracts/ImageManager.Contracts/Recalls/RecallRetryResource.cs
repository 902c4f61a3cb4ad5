namespace ImageManager.Contracts.Recalls;

/// <summary>Answer of <c>POST /api/v1/recalls/{id}/retry</c> (202): the new recall over the failed targets' VIMs.</summary>
public sealed record RecallRetryResource(Guid RecallId, Guid RetryOf, int TargetCount);

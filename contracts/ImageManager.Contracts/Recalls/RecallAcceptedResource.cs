namespace ImageManager.Contracts.Recalls;

/// <summary>Answer of <c>POST /api/v1/recalls</c> (202): the recall, readable at once at <c>/api/v1/recalls/{id}</c>.</summary>
public sealed record RecallAcceptedResource(Guid RecallId, int TargetCount, int SuccessorPresentCount);

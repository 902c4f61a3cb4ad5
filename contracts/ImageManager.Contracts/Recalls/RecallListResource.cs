namespace ImageManager.Contracts.Recalls;

/// <summary><c>GET /api/v1/recalls</c>: the recent recalls, newest first; <see cref="Next"/> is the marker of the next page.</summary>
public sealed record RecallListResource(IReadOnlyList<RecallSummary> Recalls, Guid? Next);

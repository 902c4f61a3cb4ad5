namespace ImageManager.Contracts.Recalls;

/// <summary>A recall in the list of recent ones.</summary>
public sealed record RecallSummary(
    Guid Id, Guid ImageId, string Action, string ReasonKind, Guid? SuccessorImageId, string State, string? Outcome, int TargetCount, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt);

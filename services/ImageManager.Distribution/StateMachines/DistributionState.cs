using MassTransit;

namespace ImageManager.Distribution.StateMachines;

/// <summary>
/// One distribution: an image to a set of VIMs. The counts are kept on this row so that every target event
/// touches it, which lets the optimistic concurrency check on <see cref="RowVersion"/> serialise the events
/// that decide completion.
/// </summary>
public sealed class DistributionState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid ImageId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Outcome { get; set; }
    public int TargetCount { get; set; }
    public int ActiveCount { get; set; }
    public int FailedCount { get; set; }
    public int SkippedCount { get; set; }
    public int CancelledCount { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: the optimistic concurrency token.</summary>
    public uint RowVersion { get; set; }

    public List<DistributionTarget> Targets { get; set; } = [];
}

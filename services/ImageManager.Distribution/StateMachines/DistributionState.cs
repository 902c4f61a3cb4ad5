using MassTransit;

namespace ImageManager.Distribution.StateMachines;

/// <summary>
/// One distribution: an image to a set of VIMs. This row is written twice: when the distribution starts (with its
/// targets) and when it completes (with the final counts). Target progress goes to the targets' own rows, so ten
/// thousand targets finishing never queue up on this one.
/// </summary>
public sealed class DistributionState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid ImageId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>The distribution whose failed targets this one retries, if any.</summary>
    public Guid? RetryOf { get; set; }
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

    /// <summary>Filled when the distribution starts, so that its targets are inserted with it; not loaded afterwards.</summary>
    public List<DistributionTarget> Targets { get; set; } = [];
}

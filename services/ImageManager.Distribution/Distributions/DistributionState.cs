using ImageManager.Contracts.Distributions;
using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// One distribution: an image to a set of VIMs. This row is written three times: when the distribution is accepted (with
/// its targets, before the answer), when it has started, and when it completes (with the final counts). Target progress goes to the targets' own rows, so ten
/// thousand targets finishing never queue up on this one.
/// </summary>
public sealed class DistributionState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid ImageId { get; set; }

    /// <summary><c>distribution</c> (put the image on the targets) or <c>removal</c> (take it off them).</summary>
    public string Kind { get; set; } = DistributionKinds.Distribution;
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>The distribution whose failed targets this one retries, if any.</summary>
    public Guid? RetryOf { get; set; }

    /// <summary>
    /// Whose distribution it is: that tenant's callers see, cancel and retry it (operators see every one). Null for
    /// those Image Manager starts itself (removals, repairs) and those from before tenants: operators only.
    /// </summary>
    public string? Tenant { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// When the first uploads and <c>DistributionStarted</c> went out; null while the row still owes them (the row is
    /// their outbox: see <c>DistributionStartRecordedConsumer</c>).
    /// </summary>
    public DateTimeOffset? StartPublishedAt { get; set; }

    /// <summary>When <c>DistributionCompleted</c> went out; null while the row still owes it (the row is its outbox).</summary>
    public DateTimeOffset? CompletionPublishedAt { get; set; }
    public string? Outcome { get; set; }
    public int TargetCount { get; set; }
    public int ActiveCount { get; set; }
    public int FailedCount { get; set; }
    public int SkippedCount { get; set; }
    public int CancelledCount { get; set; }
    public int RemovedCount { get; set; }
    public int ReleasedCount { get; set; }

    /// <summary>The strategy (see <c>DistributionStrategy</c>); all null for "everything at once".</summary>
    public int? MaxParallel { get; set; }
    public int? CanarySize { get; set; }
    public int? MaxFailures { get; set; }
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>The estimate made before the start (see <c>Budgets.DurationEstimate</c>); <see cref="EstimateBasis"/> null: none made.</summary>
    public double? EstimatedSeconds { get; set; }
    public double? EstimatedLastStartSeconds { get; set; }
    public string? EstimateBasis { get; set; }

    /// <summary>Why targets were cancelled without a cancel request (failure threshold, deadline); set once.</summary>
    public string? StopReason { get; set; }

    /// <summary>Where to send <c>DistributionCompleted</c> as the response, when SO/VF-C asked with request/response.</summary>
    public Uri? ResponseAddress { get; set; }
    public Guid? RequestId { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: the optimistic concurrency token.</summary>
    public uint RowVersion { get; set; }

    /// <summary>Filled when the distribution starts, so that its targets are inserted with it; not loaded afterwards.</summary>
    public List<DistributionTarget> Targets { get; set; } = [];
}

namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Make an image present on VIMs: those named in <see cref="VimIds"/> and those <see cref="Selector"/> chooses, rolled
/// out as <see cref="Strategy"/> says. Published by the Api, or sent on the bus by SO/VF-C (also as a request, whose
/// response is the <see cref="DistributionCompleted"/>, or a <see cref="DistributionRefused"/> when the sender may not
/// distribute); <see cref="DistributionId"/> is chosen by the requester and
/// correlates every later event.
/// </summary>
public record DistributeRequested
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public IReadOnlyList<string> VimIds { get; init; } = [];
    public VimSelector? Selector { get; init; }
    public DistributionStrategy? Strategy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>The distribution whose failed targets this one retries, if it is a retry.</summary>
    public Guid? RetryOf { get; init; }

    /// <summary>
    /// The tenant the distribution belongs to (who may see, cancel and retry it), set by the Api from its caller. From a
    /// sender outside Image Manager it is ignored: that sender's configured tenant is used.
    /// </summary>
    public string? Tenant { get; init; }

    /// <summary>Distribute even an image past its end of life or whose trust was withdrawn; only an operator's request may say so.</summary>
    public bool Force { get; init; }
}

using ImageManager.Contracts.Distributions;

namespace ImageManager.Contracts.Recalls;

/// <summary>
/// Command to the Distribution service (<see cref="CommandQueues.StartRecall"/>): recall an image from the VIMs that hold it.
/// What <c>POST /api/v1/recalls</c> does for an operator, for Image Manager's own policies (end of life, a withdrawn
/// signer). A repeat with the same <see cref="RecallId"/> starts nothing new. <see cref="VimIds"/> and
/// <see cref="Selector"/> narrow the holders; both empty: every holder.
/// </summary>
public sealed record StartRecall
{
    public required Guid RecallId { get; init; }
    public required Guid ImageId { get; init; }
    public required string Action { get; init; }
    public required RecallReason Reason { get; init; }
    public Guid? SuccessorImageId { get; init; }
    public IReadOnlyList<string> VimIds { get; init; } = [];
    public VimSelector? Selector { get; init; }

    /// <summary>The recall whose failed targets this one retries, if any.</summary>
    public Guid? RetryOf { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}

namespace ImageManager.Contracts.Distributions;

/// <summary>
/// One image-VIM pair moved: <c>pending → uploading → verifying → active | failed | skipped | cancelled</c>.
/// A target waiting for a retry is <c>pending</c> with <see cref="Error"/> set and a higher <see cref="Attempt"/>.
/// </summary>
public record VimImageStateChanged
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required string VimId { get; init; }
    public required string State { get; init; }
    public required int Attempt { get; init; }
    public string? VimImageId { get; init; }
    public string? Error { get; init; }
    public long BytesSent { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>How the copy the image now relies on came to be on the VIM (<see cref="VimCopyOrigins"/>); set with <c>active</c> and <c>skipped</c>.</summary>
    public string? Origin { get; init; }

    /// <summary>
    /// What the change means for the image-VIM location when that differs from the target's state: a removal the VIM
    /// refused is a <c>failed</c> target, but the copy is still there (<see cref="LocationStates.RemovalFailed"/>).
    /// </summary>
    public string? LocationState { get; init; }
}

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
}

namespace ImageManager.Contracts.Receipts;

/// <summary>
/// Answer of <c>GET /api/v1/distributions/{id}/targets/{vimId}/receipt</c>: Image Manager's signed statement that the
/// image was on the VIM. <see cref="Receipt"/> is a compact JWS (ES256) whose payload holds the same facts as the other
/// members; it is what counts, verified offline with the keys of <c>GET /api/v1/receipts/keys</c> (by its <c>kid</c>).
/// </summary>
public sealed record ReceiptResource
{
    public required string Receipt { get; init; }
    public required string KeyId { get; init; }
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required string Sha512 { get; init; }
    public required string VimId { get; init; }
    public required string VimImageId { get; init; }

    /// <summary><c>active</c> (uploaded by this distribution) or <c>skipped</c> (already there, the same bytes, and reused).</summary>
    public required string TargetState { get; init; }

    /// <summary>When the target reached its state: the image was on the VIM, active, from then on.</summary>
    public required DateTimeOffset ActiveAt { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
}

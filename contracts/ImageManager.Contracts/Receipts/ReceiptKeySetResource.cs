namespace ImageManager.Contracts.Receipts;

/// <summary>
/// Answer of <c>GET /api/v1/receipts/keys</c>: a JSON Web Key Set (RFC 7517) of every key that signed or signs receipts
/// and has not been revoked, so a receipt can be verified offline years after it was issued.
/// </summary>
public sealed record ReceiptKeySetResource
{
    public required IReadOnlyList<ReceiptPublicKey> Keys { get; init; }
}

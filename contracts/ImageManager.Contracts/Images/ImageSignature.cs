namespace ImageManager.Contracts.Images;

/// <summary>
/// A Glance-style signature declared with an image: <c>value</c> (base64 <c>img_signature</c>), <c>hashMethod</c>
/// (<c>img_signature_hash_method</c>), <c>keyType</c> (<c>img_signature_key_type</c>) and the signing certificate,
/// either registered (<c>certificateId</c>, see <c>/api/v1/certificates</c>) or inline (<c>certificate</c>, PEM).
/// </summary>
public sealed record ImageSignature
{
    public string? Value { get; init; }
    public string? HashMethod { get; init; }
    public string? KeyType { get; init; }
    public Guid? CertificateId { get; init; }
    public string? Certificate { get; init; }
}

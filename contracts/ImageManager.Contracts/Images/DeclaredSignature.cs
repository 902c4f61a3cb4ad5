namespace ImageManager.Contracts.Images;

/// <summary>
/// A Glance-style image signature as the uploader declared it: <see cref="Value"/> (base64, Glance's
/// <c>img_signature</c>) over the image data hashed with <see cref="HashMethod"/> (<c>img_signature_hash_method</c>,
/// e.g. SHA-256), made with a key of <see cref="KeyType"/> (<c>img_signature_key_type</c>, e.g. RSA-PSS) whose
/// certificate is <see cref="CertificatePem"/> (given inline, or registered in Image Manager and resolved).
/// </summary>
public record DeclaredSignature
{
    public required string Value { get; init; }
    public required string HashMethod { get; init; }
    public required string KeyType { get; init; }
    public string? CertificatePem { get; init; }
}

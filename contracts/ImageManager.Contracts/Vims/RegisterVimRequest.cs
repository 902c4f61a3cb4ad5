namespace ImageManager.Contracts.Vims;

/// <summary>
/// Body of <c>POST /api/v1/vims</c>, and what a <c>PATCH</c> merges into (absent members keep their value, a null
/// clears an optional one). <see cref="Credentials"/> is write-only: it is stored encrypted and never shown again.
/// </summary>
public sealed record RegisterVimRequest
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Endpoint { get; init; }
    public string? IdentityUrl { get; init; }
    public string? Tenant { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? UploadMode { get; init; }
    public VimCredentials? Credentials { get; init; }
    public VimTlsSettings? Tls { get; init; }
    public VimLimits? Limits { get; init; }
}

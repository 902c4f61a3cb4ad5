namespace ImageManager.Contracts.Vims;

/// <summary>A VIM as the API shows it: everything but the credentials, of which only their presence is shown.</summary>
public sealed record VimResource(
    string Id,
    string Type,
    Uri Endpoint,
    Uri? IdentityUrl,
    string? Tenant,
    string? Region,
    IReadOnlyList<string> Tags,
    string UploadMode,
    bool HasCredentials,
    VimTlsSettings Tls,
    VimLimits Limits,
    VimHealth Health,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);


namespace ImageManager.Distribution.Vims;

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
    DateTimeOffset UpdatedAt)
{
    public static VimResource From(Vim vim, DateTimeOffset now) => new(
        vim.Id,
        vim.Type,
        vim.Endpoint,
        vim.IdentityUrl,
        vim.Tenant,
        vim.Region,
        vim.Tags,
        vim.UploadMode,
        vim.ProtectedCredentials is not null,
        new VimTlsSettings { CaCertificates = vim.CaCertificates, InsecureSkipVerify = vim.InsecureSkipTlsVerify },
        new VimLimits { MaxConcurrentUploads = vim.MaxConcurrentUploads, BandwidthBytesPerSecond = vim.BandwidthLimitBytesPerSecond },
        VimHealth.From(vim, now),
        vim.CreatedAt,
        vim.UpdatedAt);
}

using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Vims;

/// <summary>How <see cref="VimResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class VimResourceMapping
{
    extension(VimResource)
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
}

namespace ImageManager.Distribution.Vims;

/// <summary>
/// What decides how a VIM is reached: where, through which Keystone region and tenant, with which TLS trust. When a
/// change touches any of it (or the credentials), what was known of the VIM's health is of another VIM: it is forgotten,
/// and the VIM probed again.
/// </summary>
public sealed record VimAccess(Uri Endpoint, Uri? IdentityUrl, string? Region, string? Tenant, string? CaCertificates, bool InsecureSkipTlsVerify)
{
    public static VimAccess Of(Vim vim) => new(vim.Endpoint, vim.IdentityUrl, vim.Region, vim.Tenant, vim.CaCertificates, vim.InsecureSkipTlsVerify);

    /// <summary>Back to <c>unknown</c>: no answer, no failure, no open circuit, not probed.</summary>
    public static void ForgetHealth(Vim vim)
    {
        vim.LastAnsweredAt = null;
        vim.HealthReason = null;
        vim.LastError = null;
        vim.ConsecutiveFailures = 0;
        vim.CircuitOpenUntil = null;
        vim.LastProbeAt = null;
    }
}

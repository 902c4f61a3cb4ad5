using System.ComponentModel.DataAnnotations;

namespace ImageManager.Api.Access;

/// <summary>Who may call the Api. Bound from the <c>Authentication</c> section.</summary>
public sealed class AccessOptions
{
    public const string Section = "Authentication";

    /// <summary>
    /// A key that acts as <c>admin</c> until real keys exist: for a new installation only, there is no default. It must
    /// read <c>imk_</c> followed by at least 32 characters; <c>imagemanager.sh up</c> makes one. Remove it once an admin
    /// key has been created.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>How long the Api remembers a key it has looked up: a revocation made through another Api replica takes this long to reach this one.</summary>
    [Range(0, 300)]
    public int ApiKeyCacheSeconds { get; set; } = 30;

    /// <summary>Token issuers whose JWTs are accepted, each with its audience and signing keys.</summary>
    public JwtIssuerOptions[] Issuers { get; set; } = [];
}

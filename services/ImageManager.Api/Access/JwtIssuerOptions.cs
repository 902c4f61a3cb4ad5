namespace ImageManager.Api.Access;

/// <summary>One trusted token issuer: its <c>iss</c>, the <c>aud</c> its tokens must carry, and the public keys that sign them.</summary>
public sealed class JwtIssuerOptions
{
    public string Issuer { get; set; } = "";
    public string Audience { get; set; } = "image-manager";

    /// <summary>PEM public keys (RSA or EC). Several while the issuer rotates: tokens signed by any of them are accepted.</summary>
    public string[] SigningKeys { get; set; } = [];

    /// <summary>The claim that names the caller's tenant.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>The claim with the caller's roles: an array, or names separated by spaces.</summary>
    public string RolesClaim { get; set; } = "roles";
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// The secret the Api presents to the services behind it (Catalog, Distribution). Bound from the <c>Internal</c> section;
/// there is no default: a service without one does not start.
/// </summary>
public sealed class InternalAccessOptions
{
    public const string Section = "Internal";

    /// <summary>At least 32 characters; <c>imagemanager.sh up</c> makes a random one under <c>.local/secrets/</c>.</summary>
    [Required]
    [MinLength(32)]
    public string? ServiceToken { get; set; }
}

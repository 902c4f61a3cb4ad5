using System.ComponentModel.DataAnnotations;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// The secret the Api presents to the services behind it (Catalog, Distribution). Bound from the <c>Internal</c> section;
/// there is no default: a service without one does not start.
/// </summary>
public sealed class InternalAccessOptions : IValidatableObject
{
    public const string Section = "Internal";

    /// <summary>
    /// The token this service presents and signs download links with. At least 32 characters; <c>imagemanager.sh up</c>
    /// makes a random one under <c>.local/secrets/</c>.
    /// </summary>
    [Required]
    [MinLength(32)]
    public string? ServiceToken { get; set; }

    /// <summary>
    /// Tokens also accepted (from callers and on download links) while the token is rotated: the new one before every
    /// service presents it, the old one until none does any more. Empty otherwise.
    /// </summary>
    public string[] AcceptedServiceTokens { get; set; } = [];

    /// <summary>Every token accepted: the current one first.</summary>
    public IEnumerable<string> AllAccepted => [ServiceToken!, .. AcceptedServiceTokens];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AcceptedServiceTokens.Any(token => token is null || token.Length < 32))
        {
            yield return new ValidationResult("Every token of Internal:AcceptedServiceTokens has at least 32 characters.", [nameof(AcceptedServiceTokens)]);
        }
    }
}

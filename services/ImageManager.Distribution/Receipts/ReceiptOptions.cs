using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Receipts;

/// <summary>How receipts are signed. Bound from the <c>Receipts</c> section and validated on start.</summary>
public sealed class ReceiptOptions : IValidatableObject
{
    public const string Section = "Receipts";

    /// <summary>The <c>iss</c> of every receipt: which installation vouches for it.</summary>
    public string Issuer { get; set; } = "image-manager";

    /// <summary>A signing key retires after this long, and a new one takes over (the old one stays published).</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(90);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            yield return new ValidationResult($"{Section}:Issuer must name the installation (e.g. image-manager).", [nameof(Issuer)]);
        }

        if (KeyLifetime < TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"{Section}:KeyLifetime must be at least an hour (got {KeyLifetime}).", [nameof(KeyLifetime)]);
        }
    }
}

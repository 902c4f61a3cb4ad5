using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Signatures;

/// <summary>Whether an unsigned image or package may pass: an operator requires signatures for every one, or for named vendors.</summary>
public sealed class SignaturePolicy(IOptions<SignatureOptions> options)
{
    /// <summary>Why an unsigned upload of these vendors (any may be null: unknown) is refused, or <c>null</c> when it may pass.</summary>
    public string? UnsignedFailure(string what, params string?[] vendors)
    {
        var policy = options.Value;
        if (policy.Required)
        {
            return $"The {what} is not signed, and every {what} must be.";
        }

        var vendor = vendors.FirstOrDefault(v => v is not null && policy.RequiredForVendors.Contains(v, StringComparer.OrdinalIgnoreCase));
        return vendor is null ? null : $"The {what} is not signed, and {what}s of vendor {Formats.ReasonText.Quote(vendor)} must be.";
    }
}

using System.ComponentModel.DataAnnotations;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>A system outside Image Manager (SDC, SO, VF-C) that may send commands on the bus, known by its broker user.</summary>
public sealed class BusSender : IValidatableObject
{
    /// <summary>The tenant its commands act for: the owner of what it onboards, the tenant of what it distributes.</summary>
    [Required]
    public string Tenant { get; set; } = "";

    /// <summary>One of <see cref="CallerRoles.All"/>, with the same meaning as on the HTTP API.</summary>
    [Required]
    public string Role { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CallerRoles.All.Contains(Role, StringComparer.Ordinal))
        {
            yield return new ValidationResult($"Role '{Role}' is not one of {string.Join(", ", CallerRoles.All)}.", [nameof(Role)]);
        }

        if (!TenantNames.IsValid(Tenant))
        {
            yield return new ValidationResult($"Tenant '{Tenant}' is not a valid tenant name.", [nameof(Tenant)]);
        }
    }
}

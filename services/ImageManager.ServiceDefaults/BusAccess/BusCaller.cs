namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>
/// Who sent the message being consumed, as the broker vouched for it; put on the consume context by
/// <see cref="BusSenderCheck{T}"/>. <see cref="Tenant"/> and <see cref="Role"/> are null for Image Manager's own services.
/// </summary>
public sealed record BusCaller(string User, string? Tenant, string? Role)
{
    /// <summary>A system outside Image Manager, configured in <see cref="BusSendersOptions"/>.</summary>
    public bool IsOutside => Tenant is not null;

    /// <summary>How audit records name it.</summary>
    public string AuditName => $"bus:{User}";
}

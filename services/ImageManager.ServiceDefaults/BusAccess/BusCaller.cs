namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>
/// Who sent the message being consumed, as the broker vouched for it. <see cref="BusSenderCheck{T}"/> puts it on the
/// consume context for the outside senders it lets through; a message without it came from Image Manager itself.
/// <see cref="Tenant"/> and <see cref="Role"/> are null for a sender that is not configured.
/// </summary>
public sealed record BusCaller(string User, string? Tenant, string? Role)
{
    /// <summary>How audit records name it.</summary>
    public string AuditName => $"bus:{User}";
}

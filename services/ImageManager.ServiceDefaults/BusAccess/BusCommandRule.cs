using MassTransit;

namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>
/// A command that systems outside Image Manager may send: the least role it needs, how the audit trail names it, and
/// the answer a refused sender gets (published, and sent as the response when it asked with request/response).
/// </summary>
public sealed record BusCommandRule(
    Type MessageType,
    string LeastRole,
    string AuditAction,
    Func<ConsumeContext, string?> ResourceId,
    Func<ConsumeContext, string, DateTimeOffset, object> Refusal);

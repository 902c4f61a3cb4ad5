namespace ImageManager.Contracts.Audit;

/// <summary>One audited change as <c>GET /api/v1/audit</c> shows it: who, when, what, from where, and the outcome.</summary>
public sealed record AuditRecordResource(
    Guid Id, DateTimeOffset At, string Caller, string? Tenant, string Action, string Method, string Path, string? ResourceId, string Source, int Status,
    string Outcome);

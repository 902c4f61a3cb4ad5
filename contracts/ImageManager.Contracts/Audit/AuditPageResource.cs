namespace ImageManager.Contracts.Audit;

/// <summary>Answer of <c>GET /api/v1/audit</c>: a page of the trail, newest first, and the marker of the next (null on the last).</summary>
public sealed record AuditPageResource(IReadOnlyList<AuditRecordResource> Records, string? Next);

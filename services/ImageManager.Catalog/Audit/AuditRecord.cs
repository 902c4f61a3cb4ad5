namespace ImageManager.Catalog.Audit;

/// <summary>One audited change, as the Api reported it (<c>ChangeAudited</c>); never altered once written.</summary>
public sealed class AuditRecord
{
    public Guid Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Caller { get; set; }
    public string? Tenant { get; set; }
    public required string Action { get; set; }
    public required string Method { get; set; }
    public required string Path { get; set; }
    public string? ResourceId { get; set; }
    public required string Source { get; set; }
    public int Status { get; set; }
    public required string Outcome { get; set; }
}

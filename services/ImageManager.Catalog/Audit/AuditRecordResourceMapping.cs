using ImageManager.Contracts.Audit;

namespace ImageManager.Catalog.Audit;

/// <summary>How <see cref="AuditRecordResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class AuditRecordResourceMapping
{
    extension(AuditRecordResource)
    {
        public static AuditRecordResource From(AuditRecord record) => new(
            record.Id, record.At, record.Caller, record.Tenant, record.Action, record.Method, record.Path, record.ResourceId, record.Source, record.Status,
            record.Outcome);
    }
}

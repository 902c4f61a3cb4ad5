using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Audit;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Audit;

/// <summary>Keeps each audit record once: a redelivered one finds its id taken and is done.</summary>
public sealed class ChangeAuditedConsumer(CatalogDbContext db) : IConsumer<ChangeAudited>
{
    public async Task Consume(ConsumeContext<ChangeAudited> context)
    {
        var m = context.Message;
        if (await db.AuditRecords.AnyAsync(r => r.Id == m.AuditId, context.CancellationToken))
        {
            return;
        }

        db.AuditRecords.Add(new AuditRecord
        {
            Id = m.AuditId,
            At = m.At,
            Caller = Cut(m.Caller, 255),
            Tenant = m.Tenant is null ? null : Cut(m.Tenant, 64),
            Action = Cut(m.Action, 64),
            Method = Cut(m.Method, 16),
            Path = Cut(m.Path, 1024),
            ResourceId = m.ResourceId is null ? null : Cut(m.ResourceId, 255),
            Source = Cut(m.Source, 64),
            Status = m.Status,
            Outcome = Cut(m.Outcome, 16),
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}

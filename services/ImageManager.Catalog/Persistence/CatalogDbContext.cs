using ImageManager.Catalog.ApiKeys;
using ImageManager.Catalog.Audit;
using ImageManager.Catalog.Certificates;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Locations;
using ImageManager.Catalog.Outbox;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Persistence;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<CatalogImage> Images => Set<CatalogImage>();
    public DbSet<SigningCertificate> Certificates => Set<SigningCertificate>();
    public DbSet<ImageTag> Tags => Set<ImageTag>();
    public DbSet<ImageShare> Shares => Set<ImageShare>();
    public DbSet<ImageProperty> Properties => Set<ImageProperty>();
    public DbSet<ImageLocation> Locations => Set<ImageLocation>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    /// <summary>Queues an event to be published once this context's changes are saved (see <see cref="OutboxMessage"/>).</summary>
    public void QueueEvent<T>(T message, DateTimeOffset now)
        where T : class => Outbox.Add(OutboxMessage.For(message, now));

    /// <summary>Queues a command to be sent to <paramref name="queue"/> once this context's changes are saved.</summary>
    public void QueueCommand<T>(T message, string queue, DateTimeOffset now)
        where T : class => Outbox.Add(OutboxMessage.For(message, now, queue));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
    }
}

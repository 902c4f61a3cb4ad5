using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Audit;

public sealed class AuditRecordMap : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_records");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id");
        builder.Property(x => x.At).HasColumnName("at");
        builder.Property(x => x.Caller).HasColumnName("caller").HasMaxLength(255);
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(64);
        builder.Property(x => x.Action).HasColumnName("action").HasMaxLength(64);
        builder.Property(x => x.Method).HasColumnName("method").HasMaxLength(16);
        builder.Property(x => x.Path).HasColumnName("path").HasMaxLength(1024);
        builder.Property(x => x.ResourceId).HasColumnName("resource_id").HasMaxLength(255);
        builder.Property(x => x.Source).HasColumnName("source").HasMaxLength(64);
        builder.Property(x => x.Status).HasColumnName("status");
        builder.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(16);
        // Newest first, and the questions an admin asks: by caller, by resource.
        builder.HasIndex(x => new { x.At, x.Id });
        builder.HasIndex(x => new { x.Caller, x.At });
        builder.HasIndex(x => new { x.ResourceId, x.At });
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Notifications.Intake;

public sealed class RecordedEventMap : IEntityTypeConfiguration<RecordedEvent>
{
    public void Configure(EntityTypeBuilder<RecordedEvent> builder)
    {
        builder.ToTable("events");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").HasMaxLength(128);
        builder.Property(x => x.Type).HasColumnName("type").HasMaxLength(128);
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(128);
        builder.Property(x => x.Body).HasColumnName("body");
        builder.Property(x => x.RecordedAt).HasColumnName("recorded_at");
        builder.HasIndex(x => x.RecordedAt);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Outbox;

public sealed class OutboxMessageMap : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(x => x.MessageType).HasColumnName("message_type").HasMaxLength(255);
        builder.Property(x => x.Body).HasColumnName("body").HasColumnType("longtext");
        builder.Property(x => x.Destination).HasColumnName("destination").HasMaxLength(255);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.ClaimedBy).HasColumnName("claimed_by");
        builder.Property(x => x.ClaimedUntil).HasColumnName("claimed_until");
        builder.HasIndex(x => x.ClaimedBy).HasDatabaseName("ix_outbox_messages_claimed_by");
    }
}

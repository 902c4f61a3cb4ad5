using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Budgets;

public sealed class TransfersInFlightMap : IEntityTypeConfiguration<TransfersInFlight>
{
    public void Configure(EntityTypeBuilder<TransfersInFlight> builder)
    {
        builder.ToTable("transfers_in_flight");
        builder.HasKey(x => new { x.Reporter, x.VimId });
        builder.Property(x => x.Reporter).HasColumnName("reporter").HasMaxLength(128);
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(128);
        builder.Property(x => x.Transfers).HasColumnName("transfers");
        builder.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        builder.HasIndex(x => x.VimId).HasDatabaseName("ix_transfers_in_flight_vim_id");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Distributions;

public sealed class DistributionTargetMap : IEntityTypeConfiguration<DistributionTarget>
{
    public void Configure(EntityTypeBuilder<DistributionTarget> builder)
    {
        builder.ToTable("distribution_targets");
        builder.HasKey(x => new { x.DistributionId, x.VimId });
        builder.Property(x => x.DistributionId).HasColumnName("distribution_id");
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(128);
        builder.Property(x => x.State).HasColumnName("state").HasMaxLength(24);
        builder.Property(x => x.Attempt).HasColumnName("attempt");
        builder.Property(x => x.Progress).HasColumnName("progress");
        builder.Property(x => x.VimImageId).HasColumnName("vim_image_id").HasMaxLength(255);
        builder.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(4096);
        builder.Property(x => x.BytesSent).HasColumnName("bytes_sent");
        builder.Property(x => x.BytesPerSecond).HasColumnName("bytes_per_second");
        builder.Property(x => x.Hub).HasColumnName("hub").HasMaxLength(64);
        builder.Property(x => x.HubFallback).HasColumnName("hub_fallback").HasMaxLength(Hubs.HubRoutes.MaxFallbackLength);
        builder.Property(x => x.Wave).HasColumnName("wave");
        builder.Property(x => x.Sequence).HasColumnName("sequence");
        builder.Property(x => x.DispatchedAt).HasColumnName("dispatched_at");
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(x => new { x.VimId, x.State });

        // "Is any target of this distribution still open?" and the counts per state, without reading every row.
        builder.HasIndex(x => new { x.DistributionId, x.State });

        // "Does a target of this distribution wait for a slot?", answered without touching the started ones.
        builder.HasIndex(x => new { x.DistributionId, x.Wave, x.Sequence }).HasDatabaseName("IX_distribution_targets_waiting").HasFilter("dispatched_at IS NULL");
    }
}

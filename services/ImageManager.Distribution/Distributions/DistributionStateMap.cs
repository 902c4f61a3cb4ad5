using ImageManager.Contracts.Distributions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Distributions;

public sealed class DistributionStateMap : IEntityTypeConfiguration<DistributionState>
{
    public void Configure(EntityTypeBuilder<DistributionState> builder)
    {
        builder.ToTable("distributions");
        builder.HasKey(x => x.CorrelationId);
        builder.Property(x => x.CorrelationId).HasColumnName("id").ValueGeneratedNever();
        builder.Property(x => x.CurrentState).HasColumnName("state").HasMaxLength(32);
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.RequestedAt).HasColumnName("requested_at");
        builder.Property(x => x.RetryOf).HasColumnName("retry_of");
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(64);
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        builder.Property(x => x.CompletedAt).HasColumnName("completed_at");
        builder.Property(x => x.StartPublishedAt).HasColumnName("start_published_at");
        builder.Property(x => x.CompletionPublishedAt).HasColumnName("completion_published_at");
        builder.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(32);
        builder.Property(x => x.TargetCount).HasColumnName("target_count");
        builder.Property(x => x.ActiveCount).HasColumnName("active_count");
        builder.Property(x => x.FailedCount).HasColumnName("failed_count");
        builder.Property(x => x.SkippedCount).HasColumnName("skipped_count");
        builder.Property(x => x.CancelledCount).HasColumnName("cancelled_count");
        builder.Property(x => x.RemovedCount).HasColumnName("removed_count");
        builder.Property(x => x.ReleasedCount).HasColumnName("released_count");
        builder.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(16).HasDefaultValue(DistributionKinds.Distribution);
        builder.Property(x => x.MaxParallel).HasColumnName("max_parallel");
        builder.Property(x => x.CanarySize).HasColumnName("canary_size");
        builder.Property(x => x.MaxFailures).HasColumnName("max_failures");
        builder.Property(x => x.Deadline).HasColumnName("deadline");
        builder.Property(x => x.EstimatedSeconds).HasColumnName("estimated_seconds");
        builder.Property(x => x.EstimatedLastStartSeconds).HasColumnName("estimated_last_start_seconds");
        builder.Property(x => x.EstimateBasis).HasColumnName("estimate_basis").HasMaxLength(500);
        builder.Property(x => x.StopReason).HasColumnName("stop_reason").HasMaxLength(1000);
        builder.Property(x => x.ResponseAddress).HasColumnName("response_address").HasMaxLength(1000);
        builder.Property(x => x.RequestId).HasColumnName("request_id");
        builder.Property(x => x.RowVersion).IsRowVersion();
        builder.HasIndex(x => x.ImageId);
        builder.HasIndex(x => x.RequestedAt);
        // A tenant's own list, newest first, without reading the others'.
        builder.HasIndex(x => new { x.Tenant, x.RequestedAt });
        // The sweep for distributions whose start is still owed reads only those.
        builder.HasIndex(x => x.UpdatedAt).HasFilter("start_published_at IS NULL").HasDatabaseName("ix_distributions_start_owed");

        builder.HasMany(x => x.Targets).WithOne().HasForeignKey(t => t.DistributionId).OnDelete(DeleteBehavior.Cascade);
    }
}

using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Notifications.Webhooks;

public sealed class DeliveryMap : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("deliveries");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id");
        builder.Property(x => x.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
        builder.Property(x => x.SubscriptionId).HasColumnName("subscription_id");
        builder.Property(x => x.EventId).HasColumnName("event_id").HasMaxLength(128);
        builder.Property(x => x.EventType).HasColumnName("event_type").HasMaxLength(128);
        builder.Property(x => x.EventSubject).HasColumnName("event_subject").HasMaxLength(128);
        builder.Property(x => x.State).HasColumnName("state").HasMaxLength(16);
        builder.Property(x => x.Attempts).HasColumnName("attempts");
        builder.Property(x => x.LastStatus).HasColumnName("last_status");
        builder.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2000);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.LastAttemptAt).HasColumnName("last_attempt_at");
        builder.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(x => x.DeliveredAt).HasColumnName("delivered_at");
        builder.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RecordedEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        // A notification the broker hands over twice is recorded once per subscription.
        builder.HasIndex(x => new { x.SubscriptionId, x.EventId }).IsUnique();
        // The dispatcher's question: what is due now.
        builder.HasIndex(x => x.NextAttemptAt).HasFilter("state = 'pending'");
        // A subscription's deliveries, newest first (the list).
        builder.HasIndex(x => new { x.SubscriptionId, x.Sequence });
    }
}

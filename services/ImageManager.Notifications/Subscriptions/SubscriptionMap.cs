using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Notifications.Subscriptions;

public sealed class SubscriptionMap : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("subscriptions");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id");
        builder.Property(x => x.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
        builder.Property(x => x.Url).HasColumnName("url").HasMaxLength(2048);
        builder.Property(x => x.Events).HasColumnName("events");
        builder.Property(x => x.Description).HasColumnName("description").HasMaxLength(500);
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(128);
        builder.Property(x => x.AllTenants).HasColumnName("all_tenants");
        builder.Property(x => x.ProtectedSecret).HasColumnName("protected_secret");
        builder.Property(x => x.State).HasColumnName("state").HasMaxLength(16);
        builder.Property(x => x.ConsecutiveFailures).HasColumnName("consecutive_failures");
        builder.Property(x => x.SuspendedReason).HasColumnName("suspended_reason").HasMaxLength(2000);
        builder.Property(x => x.SuspendedAt).HasColumnName("suspended_at");
        builder.Property(x => x.CreatedBy).HasColumnName("created_by").HasMaxLength(256);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        // Each notification looks up the subscriptions that may see it: its tenant's, and the all-tenant ones.
        builder.HasIndex(x => x.Tenant);
        builder.HasIndex(x => x.Sequence).IsUnique();
    }
}

using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Persistence;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<RecordedEvent> Events => Set<RecordedEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
    }
}

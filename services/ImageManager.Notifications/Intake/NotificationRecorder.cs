using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Records, in one transaction for a whole batch, each notification and a pending delivery for each subscription that
/// may see it and wants it. One handed over twice (a redelivery, twice in a batch, or another replica with the same
/// message) is recorded once.
/// </summary>
public sealed class NotificationRecorder(IDbContextFactory<NotificationsDbContext> databases, TimeProvider clock)
{
    /// <summary>Records the events with a delivery per interested subscription; returns how many deliveries were made.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<IncomingNotification> notifications, CancellationToken cancellationToken)
    {
        try
        {
            return await RecordTogetherAsync(notifications, cancellationToken);
        }
        catch (DbUpdateException) when (notifications.Count > 1)
        {
            // Another replica recorded one of them meanwhile: one by one, each finds whether it is recorded already.
            var made = 0;
            foreach (var notification in notifications)
            {
                made += await RecordTogetherAsync([notification], cancellationToken);
            }

            return made;
        }
    }

    async Task<int> RecordTogetherAsync(IReadOnlyList<IncomingNotification> notifications, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var tenants = notifications.Select(n => n.Tenant).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var candidates = await db.Subscriptions.AsNoTracking()
            .Where(s => s.AllTenants || tenants.Contains(s.Tenant))
            .Select(s => new { s.Id, s.Events, s.Tenant, s.AllTenants })
            .ToListAsync(cancellationToken);
        var wanted = notifications
            .DistinctBy(n => n.Id, StringComparer.Ordinal)
            .Select(n => (Notification: n, Interested: candidates
                .Where(s => (s.AllTenants || (n.Tenant != null && s.Tenant == n.Tenant)) && EventFilter.Matches(s.Events, n.Type))
                .Select(s => s.Id)
                .ToList()))
            .Where(w => w.Interested.Count > 0)
            .ToList();
        if (wanted.Count == 0)
        {
            return 0; // nobody wants them
        }

        // Asked only for what someone wants: a notification the broker handed over again is recorded already.
        var ids = wanted.Select(w => w.Notification.Id).ToList();
        var recorded = await db.Events.Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(cancellationToken);
        wanted.RemoveAll(w => recorded.Contains(w.Notification.Id, StringComparer.Ordinal));
        if (wanted.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        foreach (var (notification, interested) in wanted)
        {
            db.Events.Add(new RecordedEvent { Id = notification.Id, Type = notification.Type, Tenant = notification.Tenant, Body = notification.Body, RecordedAt = now });
            db.Deliveries.AddRange(interested.Select(subscription => new Delivery
            {
                Id = Guid.CreateVersion7(now),
                SubscriptionId = subscription,
                EventId = notification.Id,
                EventType = notification.Type,
                EventSubject = notification.Subject,
                CreatedAt = now,
                NextAttemptAt = now,
            }));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (wanted.Count == 1)
        {
            await using var again = await databases.CreateDbContextAsync(cancellationToken);
            var id = wanted[0].Notification.Id;
            if (await again.Events.AnyAsync(e => e.Id == id, cancellationToken))
            {
                return 0; // another replica recorded it meanwhile
            }

            throw;
        }

        return wanted.Sum(w => w.Interested.Count);
    }
}

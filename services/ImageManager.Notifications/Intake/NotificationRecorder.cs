using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Records, in one transaction, a notification and a pending delivery for each subscription that may see it and wants
/// it. One handed over twice (a redelivery, or another replica with the same message) is recorded once.
/// </summary>
public sealed class NotificationRecorder(IDbContextFactory<NotificationsDbContext> databases, TimeProvider clock)
{
    /// <summary>Records the event with a delivery per interested subscription; returns how many deliveries were made.</summary>
    public async Task<int> RecordAsync(string id, string type, string? subject, string? tenant, byte[] body, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Subscriptions.AsNoTracking()
            .Where(s => s.AllTenants || (tenant != null && s.Tenant == tenant))
            .Select(s => new { s.Id, s.Events })
            .ToListAsync(cancellationToken);
        var interested = candidates.Where(s => EventFilter.Matches(s.Events, type)).ToList();
        // Asked only when someone wants it: with no subscriber, an event costs one query.
        if (interested.Count == 0 || await db.Events.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return 0; // nobody wants it, or it is recorded already (the broker handed it over again)
        }

        var now = clock.GetUtcNow();
        db.Events.Add(new RecordedEvent { Id = id, Type = type, Tenant = tenant, Body = body, RecordedAt = now });
        db.Deliveries.AddRange(interested.Select(s => new Delivery
        {
            Id = Guid.CreateVersion7(now),
            SubscriptionId = s.Id,
            EventId = id,
            EventType = type,
            EventSubject = subject,
            CreatedAt = now,
            NextAttemptAt = now,
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await using var again = await databases.CreateDbContextAsync(cancellationToken);
            if (await again.Events.AnyAsync(e => e.Id == id, cancellationToken))
            {
                return 0; // another replica recorded it meanwhile
            }

            throw;
        }

        return interested.Count;
    }
}

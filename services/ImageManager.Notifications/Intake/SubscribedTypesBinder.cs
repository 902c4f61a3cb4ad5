using ImageManager.Notifications.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Keeps the intake's bindings (<see cref="IntakeBindings"/>) equal to what the subscriptions want. Every change of
/// subscriptions, and every pass over them, holds one PostgreSQL advisory lock, shared by all replicas: a pass reads the
/// subscriptions after every earlier change committed, so two replicas changing subscriptions at once cannot leave a
/// wanted type unbound. A new subscription's types are bound before it is stored, so it receives every event published
/// from its creation on; a deleted one's are unbound after.
/// </summary>
public sealed partial class SubscribedTypesBinder(IntakeBindings bindings, IDbContextFactory<NotificationsDbContext> databases,
    ILogger<SubscribedTypesBinder> logger)
{
    /// <summary>The advisory lock's key: any constant the database's other users do not take ("NotifyB" in ASCII).</summary>
    const long LockKey = 0x4E_6F_74_69_66_79_42;

    /// <summary>
    /// Runs <paramref name="change"/> (which commits on <paramref name="db"/>) with the types of <paramref name="newPatterns"/>
    /// bound before it (null: it adds none), then binds and unbinds what the subscriptions want once it is done.
    /// </summary>
    public async Task<T> ChangeAsync<T>(NotificationsDbContext db, IReadOnlyCollection<string>? newPatterns, Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            try
            {
                if (newPatterns is not null)
                {
                    var added = WantedTypes.Of([newPatterns]);
                    await bindings.BindAsync(added.Types, added.EveryType, cancellationToken);
                }

                return await change();
            }
            finally
            {
                // Also after a failed change: what it bound in advance is unbound again. Not cancelled with the request: a
                // committed deletion is followed by its unbinding even when the caller is gone.
                await FollowSubscriptionsAsync(db);
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One pass: the bindings made to match the subscriptions as they are.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            try
            {
                await ApplyAsync(db, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// After a change: a failure here must not turn a stored change into an error answer. What stays bound too much only
    /// costs deliveries nobody records, and the next pass (<see cref="IntakeBindingKeeper"/>) removes it; a new
    /// subscription's types were bound before it was stored.
    /// </summary>
    async Task FollowSubscriptionsAsync(NotificationsDbContext db)
    {
        try
        {
            await ApplyAsync(db, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFollowFailed(logger, e);
        }
    }

    async Task ApplyAsync(NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var patterns = await db.Subscriptions.AsNoTracking().Select(s => s.Events).ToListAsync(cancellationToken);
        await bindings.ApplyAsync(WantedTypes.Of(patterns), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The intake's bindings could not follow a subscription change; the next periodic pass makes them match")]
    static partial void LogFollowFailed(ILogger logger, Exception exception);
}

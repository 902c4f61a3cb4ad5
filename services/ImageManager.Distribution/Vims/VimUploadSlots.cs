using System.Collections.Concurrent;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// A VIM's <c>MaxConcurrentUploads</c> across every replica: an upload holds one of the VIM's slots, a row of
/// <c>vim_upload_slots</c> leased until <c>expires_at</c>. A full VIM does not make an upload wait here (that would hold a
/// worker that another VIM could use): the caller defers it instead.
/// </summary>
/// <remarks>
/// Leases in rows, not advisory locks: a session lock needs its connection for as long as the upload runs (128 uploads per
/// replica against a pool of 40), and a Patroni failover would drop every lock at once while the uploads go on. A lease
/// survives both and a replica that dies frees its slots when they expire (<see cref="DistributionOptions.UploadSlotLease"/>).
/// Cost on the healthy path: the take is made by the upload's one read of its VIM (<c>vim_upload_slot_take</c>, a SQL
/// function called in that query, see <see cref="Uploads.UploadStartReads"/>), so it adds no transaction; releases are gathered for
/// <see cref="ReleaseWindow"/> and made in one statement, renewals in one statement per third of the lease, per replica.
/// Never more than the limit, but sometimes fewer: a slot being released or renewed at that instant is skipped, not
/// waited for (the upload is deferred and comes back), and lowering a limit lets the uploads above it finish.
/// </remarks>
public sealed class VimUploadSlots(
    IDbContextFactory<DistributionDbContext> databases,
    IOptions<DistributionOptions> options,
    ILogger<VimUploadSlots> logger) : BackgroundService
{
    /// <summary>How long releases are gathered before they are written: a slot stays taken this much longer, for one statement per window.</summary>
    public static readonly TimeSpan ReleaseWindow = TimeSpan.FromMilliseconds(200);

    readonly ConcurrentDictionary<Guid, VimUploadLease> _held = new();
    readonly ConcurrentQueue<Guid> _released = new();
    readonly SemaphoreSlim _releaseSignal = new(0);

    public double LeaseSeconds => options.Value.UploadSlotLease.TotalSeconds;

    /// <summary>A slot taken by a query calling <c>vim_upload_slot_take</c>: from now on renewed until released.</summary>
    public VimUploadLease Held(VimUploadLease lease)
    {
        _held[lease.Holder] = lease;
        return lease;
    }

    /// <summary>Gives the slot back within <see cref="ReleaseWindow"/>.</summary>
    public void Release(VimUploadLease lease)
    {
        if (_held.TryRemove(lease.Holder, out _))
        {
            _released.Enqueue(lease.Holder);
            _releaseSignal.Release();
        }
    }

    /// <summary>Writes the releases gathered so far.</summary>
    public async Task FlushReleasesAsync(CancellationToken cancellationToken)
    {
        var holders = new List<Guid>();
        while (_released.TryDequeue(out var holder))
        {
            holders.Add(holder);
        }

        if (holders.Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"UPDATE vim_upload_slots SET holder = NULL, expires_at = NULL WHERE holder = ANY({holders.ToArray()})", cancellationToken);
        }
        catch
        {
            // Kept for the next window; until written, the slots stay taken (no longer renewed, they expire at worst).
            holders.ForEach(_released.Enqueue);
            throw;
        }
    }

    /// <summary>
    /// Makes the first slot of each of <paramref name="vimIds"/> that has none yet, free, in one statement: done when a
    /// distribution is accepted, so that its uploads take an existing row. Made by <c>vim_upload_slot_take</c> on a VIM's
    /// first upload, the row cost each upload three statements instead of one (at ten thousand new VIMs, most of the
    /// database's time in the uploads' start reads). A slot that exists is left as it is (held or not).
    /// </summary>
    public static Task MakeFirstAsync(DistributionDbContext db, IReadOnlyCollection<string> vimIds, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO vim_upload_slots (vim_id, slot)
            SELECT v.id, 0 FROM vims AS v WHERE v.id = ANY({vimIds.ToArray()}) AND v.max_concurrent_uploads > 0
            ON CONFLICT DO NOTHING
            """, cancellationToken);

    /// <summary>Pushes back the expiry of every slot this replica holds, in one statement.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var holders = _held.Keys.ToArray();
        if (holders.Length == 0)
        {
            return;
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var renewed = await db.Database.ExecuteSqlAsync(
            $"UPDATE vim_upload_slots SET expires_at = now() + make_interval(secs => {LeaseSeconds}) WHERE holder = ANY({holders})", cancellationToken);
        if (renewed < holders.Length)
        {
            // Only after this replica could not renew for a whole lease (the database unreachable): the VIM may see more than its limit until these end.
            logger.LogWarning("{Lost} of {Held} upload slots held by this replica had expired and were taken over; their uploads go on.", holders.Length - renewed, holders.Length);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renewEvery = options.Value.UploadSlotLease / 3;
        var nextRenewal = DateTimeOffset.UtcNow + renewEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var untilRenewal = nextRenewal - DateTimeOffset.UtcNow;
                if (untilRenewal > TimeSpan.Zero && await _releaseSignal.WaitAsync(untilRenewal, stoppingToken))
                {
                    await Task.Delay(ReleaseWindow, stoppingToken);
                    while (_releaseSignal.Wait(0, CancellationToken.None))
                    {
                        // one flush writes every release signalled so far
                    }

                    await FlushReleasesAsync(stoppingToken);
                }

                if (DateTimeOffset.UtcNow >= nextRenewal)
                {
                    await RenewAsync(stoppingToken);
                    nextRenewal = DateTimeOffset.UtcNow + renewEvery;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                logger.LogWarning(exception, "Releasing or renewing upload slots failed; trying again in a moment.");
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushReleasesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning(exception, "Upload slots released at the stop could not be written; they free themselves when their lease expires.");
        }
    }
}

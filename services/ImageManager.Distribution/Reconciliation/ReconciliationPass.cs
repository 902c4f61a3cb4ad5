using System.Collections.Concurrent;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageManager.Distribution.Reconciliation;

/// <summary>
/// One reconciliation pass: takes the next batch of image-VIM pairs whose latest target is <c>active</c> or
/// <c>skipped</c> (after where the last pass stopped), asks each VIM whether it still holds the image with the right
/// bytes (<see cref="IVimDriver.CheckPresentAsync"/>), a few at a time, and records drift on the target row (state
/// <c>drifted</c>, last error = what was found) and as <see cref="VimImageStateChanged"/>. A VIM that does not answer is
/// not drift: its pairs are unchecked, and after its first failure in a pass it is not asked again in that pass. With
/// repair, a drifted pair gets a new distribution of the image to that VIM. Passes never overlap, across replicas too
/// (a PostgreSQL advisory lock).
/// </summary>
public sealed class ReconciliationPass(
    IDbContextFactory<DistributionDbContext> contexts,
    IEnumerable<IVimDriver> drivers,
    VimConnector connector,
    IBus bus,
    IOptions<ReconciliationOptions> options,
    TimeProvider clock,
    ILogger<ReconciliationPass> logger)
{
    /// <summary>The advisory lock's key: any number of this database's own choosing ("reconcil" in ASCII).</summary>
    const long LockKey = 0x7265636f6e63696c;

    const int MaxErrorLength = 4096;

    /// <summary>
    /// Runs a pass. When another pass holds the lock, waits for it if <paramref name="waitForOtherPass"/>, otherwise
    /// answers null at once (the scheduled pass, whose next turn comes anyway). With <paramref name="imageId"/>, the pass
    /// checks that image's pairs only (a batch of them, from the first) and leaves the cursor where it is.
    /// </summary>
    public async Task<ReconciliationReport?> RunAsync(bool repair, Guid? imageId, bool waitForOtherPass, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The lock lives as long as this connection's session; an unpooled connection takes it along when it closes,
        // whatever happens to the pass, instead of leaving it held on a pooled connection.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        await using var session = new NpgsqlConnection(lockConnectionString);
        await session.OpenAsync(cancellationToken);
        if (!await LockAsync(session, waitForOtherPass, cancellationToken))
        {
            logger.LogInformation("Reconciliation: another pass is running; this one is skipped.");
            return null;
        }

        var startedAt = clock.GetUtcNow();
        var cursor = imageId is null
            ? await db.ReconciliationCursors.AsNoTracking().FirstOrDefaultAsync(c => c.Name == ReconciliationCursor.Default, cancellationToken)
            : null;
        var pairs = await NextPairsAsync(session, cursor?.ImageId ?? Guid.Empty, cursor?.VimId ?? "", imageId, settings.BatchSize, cancellationToken);
        var vimIds = pairs.Select(p => p.VimId).Distinct().ToList();
        var imageIds = pairs.Select(p => p.ImageId).Distinct().ToList();
        var vims = await db.Vims.AsNoTracking().Where(v => vimIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var images = await db.Images.AsNoTracking().Where(i => imageIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);

        var connections = new ConcurrentDictionary<string, VimConnection>(StringComparer.Ordinal);
        var silent = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var drifted = new ConcurrentBag<ReconciledPair>();
        var notChecked = new ConcurrentBag<ReconciledPair>();
        var intact = 0;
        try
        {
            await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken }, async (pair, token) =>
            {
                var (found, problem) = vims.TryGetValue(pair.VimId, out var vim) && images.TryGetValue(pair.ImageId, out var image)
                    ? await CheckAsync(pair, vim, image, connections, silent, settings.CheckTimeout, token)
                    : (Found.Unchecked, "The VIM or the image left the registry during the pass.");
                switch (found)
                {
                    case Found.Intact:
                        Interlocked.Increment(ref intact);
                        break;
                    case Found.Unchecked:
                        notChecked.Add(Reported(pair, problem!));
                        break;
                    case Found.Drifted when await RecordDriftAsync(pair, problem!, token):
                        drifted.Add(Reported(pair, problem!) with { RepairDistributionId = repair ? await RepairAsync(pair, token) : null });
                        break;
                    default:
                        notChecked.Add(Reported(pair, $"The target changed while it was checked; drift was not recorded ({problem})."));
                        break;
                }
            });
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                connection.Http.Dispose();
            }
        }

        var reachedEnd = pairs.Count < settings.BatchSize;
        if (imageId is null)
        {
            await SaveCursorAsync(session, reachedEnd ? null : pairs[^1], cancellationToken);
        }

        var report = new ReconciliationReport(
            pairs.Count,
            intact,
            [.. drifted.OrderBy(p => p.ImageId).ThenBy(p => p.VimId, StringComparer.Ordinal)],
            [.. notChecked.OrderBy(p => p.ImageId).ThenBy(p => p.VimId, StringComparer.Ordinal)],
            reachedEnd,
            startedAt,
            clock.GetUtcNow());
        logger.LogInformation(
            "Reconciliation: {Pairs} pair(s), {Intact} intact, {Drifted} drifted, {Unchecked} unchecked; {Where}.",
            report.Pairs, report.Intact, report.Drifted.Count, report.Unchecked.Count, reachedEnd ? "the next pass starts from the first pair" : "the next pass goes on from here");
        return report;
    }

    enum Found
    {
        Intact,
        Drifted,
        Unchecked,
    }

    async Task<(Found Found, string? Problem)> CheckAsync(
        PairToCheck pair, Vim vim, DistributableImage image, ConcurrentDictionary<string, VimConnection> connections,
        ConcurrentDictionary<string, string> silent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (silent.TryGetValue(vim.Id, out var earlier))
        {
            return (Found.Unchecked, $"Not asked: VIM '{vim.Id}' failed earlier in this pass: {earlier}");
        }

        if (vim.CircuitOpenUntil is { } open && open > clock.GetUtcNow())
        {
            return (Found.Unchecked, $"Not asked: VIM '{vim.Id}' has its circuit open until {open:O}.");
        }

        if (drivers.FirstOrDefault(d => d.VimType == vim.Type) is not { } driver)
        {
            return (Found.Unchecked, $"VIM type '{vim.Type}' has no driver.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string failure;
        try
        {
            var presence = await driver.CheckPresentAsync(connections.GetOrAdd(vim.Id, _ => connector.Connect(vim)), pair.VimImageId, image, deadline.Token);
            return presence.Intact ? (Found.Intact, null) : (Found.Drifted, presence.Problem ?? "The VIM does not hold the image as it should.");
        }
        catch (Exception exception) when (exception is VimTransientException or VimRejectedException)
        {
            failure = exception.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"The VIM did not answer within {timeout}.";
        }

        if (silent.TryAdd(vim.Id, failure))
        {
            logger.LogWarning("Reconciliation: VIM {VimId} could not be checked; its pairs stay unchecked in this pass: {Error}", vim.Id, failure);
        }

        return (Found.Unchecked, failure);
    }

    /// <summary>
    /// The target becomes <c>drifted</c> only if it still is what was checked (<c>active</c> or <c>skipped</c>), so a
    /// concurrent change is never overwritten and the event goes out once. Drifted is final: the distribution stays as
    /// it is (completed, or still counting its other targets).
    /// </summary>
    async Task<bool> RecordDriftAsync(PairToCheck pair, string problem, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var error = OutsideText.Sanitise(problem, MaxErrorLength);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Targets
            .Where(t => t.DistributionId == pair.DistributionId && t.VimId == pair.VimId && (t.State == TargetStates.Active || t.State == TargetStates.Skipped))
            .ExecuteUpdateAsync(set => set
                .SetProperty(t => t.State, TargetStates.Drifted)
                .SetProperty(t => t.LastError, error)
                .SetProperty(t => t.UpdatedAt, now),
                cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        logger.LogWarning("Reconciliation: image {ImageId} on VIM {VimId} (VIM image {VimImageId}) drifted: {Problem}", pair.ImageId, pair.VimId, pair.VimImageId, error);
        await bus.Publish(new VimImageStateChanged
        {
            DistributionId = pair.DistributionId,
            ImageId = pair.ImageId,
            VimId = pair.VimId,
            State = TargetStates.Drifted,
            Attempt = pair.Attempt,
            VimImageId = pair.VimImageId,
            Error = error,
            ChangedAt = now,
        }, cancellationToken);
        return true;
    }

    /// <summary>A new distribution of the image to that one VIM: its own tracking and completion, like any other.</summary>
    async Task<Guid> RepairAsync(PairToCheck pair, CancellationToken cancellationToken)
    {
        var distributionId = NewId.NextSequentialGuid();
        await bus.Publish(new DistributeRequested
        {
            DistributionId = distributionId,
            ImageId = pair.ImageId,
            VimIds = [pair.VimId],
            RequestedAt = clock.GetUtcNow(),
        }, cancellationToken);
        logger.LogInformation("Reconciliation: image {ImageId} is distributed to VIM {VimId} again by distribution {DistributionId}.", pair.ImageId, pair.VimId, distributionId);
        return distributionId;
    }

    static ReconciledPair Reported(PairToCheck pair, string problem) => new(pair.ImageId, pair.VimId, pair.DistributionId, pair.VimImageId, problem);

    static async Task<bool> LockAsync(NpgsqlConnection session, bool wait, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(wait ? "SELECT pg_advisory_lock(@key)" : "SELECT pg_try_advisory_lock(@key)", session);
        command.Parameters.AddWithValue("key", LockKey);
        if (wait)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }

        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// The next pairs after the cursor, in (image, VIM) order. Per pair, the latest target decides (the one updated last,
    /// of whichever distribution): a pair whose latest target failed, is under way, or drifted is not checked. Images no
    /// longer in the catalogue and VIMs no longer registered are left out.
    /// </summary>
    static async Task<List<PairToCheck>> NextPairsAsync(NpgsqlConnection session, Guid afterImage, string afterVim, Guid? imageId, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT latest.image_id, latest.vim_id, latest.distribution_id, latest.vim_image_id, latest.attempt
            FROM (
                SELECT DISTINCT ON (d.image_id, t.vim_id) d.image_id, t.vim_id, t.distribution_id, t.vim_image_id, t.attempt, t.state
                FROM distribution_targets t
                JOIN distributions d ON d.id = t.distribution_id
                WHERE (d.image_id, t.vim_id) > (@image, @vim) AND (@only::uuid IS NULL OR d.image_id = @only)
                ORDER BY d.image_id, t.vim_id, t.updated_at DESC, t.distribution_id DESC
            ) latest
            JOIN images i ON i.id = latest.image_id
            JOIN vims v ON v.id = latest.vim_id
            WHERE latest.state IN ('active', 'skipped') AND latest.vim_image_id IS NOT NULL
            ORDER BY latest.image_id, latest.vim_id
            LIMIT @batch
            """, session);
        command.Parameters.AddWithValue("image", afterImage);
        command.Parameters.AddWithValue("vim", afterVim);
        command.Parameters.AddWithValue("batch", batchSize);
        command.Parameters.Add(new NpgsqlParameter("only", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)imageId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pairs = new List<PairToCheck>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add(new PairToCheck(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return pairs;
    }

    /// <summary>After the last pair of a full batch; back to the start when the batch reached the end.</summary>
    async Task SaveCursorAsync(NpgsqlConnection session, PairToCheck? last, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO reconciliation_cursors (name, image_id, vim_id, updated_at) VALUES (@name, @image, @vim, @now)
            ON CONFLICT (name) DO UPDATE SET image_id = EXCLUDED.image_id, vim_id = EXCLUDED.vim_id, updated_at = EXCLUDED.updated_at
            """, session);
        command.Parameters.AddWithValue("name", ReconciliationCursor.Default);
        command.Parameters.AddWithValue("image", last?.ImageId ?? Guid.Empty);
        command.Parameters.AddWithValue("vim", last?.VimId ?? "");
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Budgets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageManager.Distribution.Budgets;

/// <summary>
/// This replica's pushes in the bandwidth budgets: counted in <see cref="Shares"/> while they send, and every
/// <see cref="ReportInterval"/> (sooner when a transfer begins to a VIM that had none here) exchanged with PostgreSQL,
/// where every replica's counts meet (<see cref="TransferCounts"/>): one small batch a second per replica, and none
/// while nothing is in flight here. Only transfers that some budget bounds are counted: a VIM with a cap, or any VIM
/// when the uplink has a budget.
/// </summary>
public sealed class TransferBudgets(
    IDbContextFactory<DistributionDbContext> databases, IOptions<BudgetOptions> options, ILogger<TransferBudgets> logger) : BackgroundService
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>This process in <c>transfers_in_flight</c>.</summary>
    public string Reporter { get; } = $"distribution/{Environment.MachineName}/{Guid.NewGuid():N}";

    public TransferShares Shares { get; } = NewShares(options.Value.UplinkBytesPerSecond);

    bool _reportedSome;

    /// <summary>Whether a transfer to a VIM with this cap is bounded by a budget, and so is counted and paced.</summary>
    public bool Bounds(long? vimCap) => vimCap is not null || options.Value.UplinkBytesPerSecond is not null;

    /// <summary>A push to <paramref name="vimId"/> begins.</summary>
    public TransferTicket Begin(string vimId, long? vimCap) => Shares.Begin(vimId, vimCap);

    /// <summary>Writes this replica's counts and learns everyone else's.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var here = Shares.Here();
        if (here.Count == 0 && !_reportedSome)
        {
            return;
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var answer = await TransferCounts.ExchangeAsync((NpgsqlConnection)db.Database.GetDbConnection(), Reporter, here, withCaps: false, options.Value.UplinkBytesPerSecond, cancellationToken);
            Shares.Learn(options.Value.UplinkBytesPerSecond, answer.UplinkTransfersElsewhere, answer.TransfersElsewhere);
            _reportedSome = here.Count > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>An Api replica's pulls: written like this replica's own, answered with the counts elsewhere and the VIMs' caps.</summary>
    public async Task<TransferBudgetAnswer> ExchangeForAsync(TransferBudgetReport report, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await TransferCounts.ExchangeAsync((NpgsqlConnection)db.Database.GetDbConnection(), report.Reporter, report.Transfers, withCaps: true, options.Value.UplinkBytesPerSecond, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await Shares.NewVim.WaitAsync(ReportInterval, stoppingToken))
                {
                    // a moment to gather the other transfers starting with this one
                    await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
                    while (Shares.NewVim.Wait(0, CancellationToken.None))
                    {
                        // one report for all
                    }
                }

                await ReportAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The shares learnt last stay in force; this replica's own count is always current.
                logger.LogWarning(exception, "Exchanging the transfers in flight for the bandwidth budgets failed; trying again in a moment.");
                await Task.Delay(ReportInterval, CancellationToken.None);
            }
        }
    }

    static TransferShares NewShares(long? uplink)
    {
        var shares = new TransferShares();
        shares.Learn(uplink, 0, new Dictionary<string, int>());
        return shares;
    }

    public override void Dispose()
    {
        Shares.Dispose();
        base.Dispose();
    }
}

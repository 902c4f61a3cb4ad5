using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Api.Budgets;

/// <summary>
/// This replica's downloads in the bandwidth budgets: a VIM pulling by web-download shares its cap with its other
/// transfers (pushes from the Distribution, pulls served by other Api replicas), and every download shares the central
/// uplink's budget. The Api keeps no database: every <see cref="ReportInterval"/> while downloads run (sooner when one
/// begins for a VIM not yet seen), it tells the Distribution its counts and learns the counts elsewhere, the pulling VIMs'
/// caps and the uplink's budget (<c>POST /internal/v1/transfer-budgets</c>). When that fails the shares learnt last stay;
/// a download for a VIM never learnt about is not paced until the Distribution answers.
/// </summary>
public sealed class PullBudgets(IServiceScopeFactory scopes, ILogger<PullBudgets> logger) : BackgroundService
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>This process in the Distribution's <c>transfers_in_flight</c>.</summary>
    public string Reporter { get; } = $"api/{Environment.MachineName}/{Guid.NewGuid():N}";

    public TransferShares Shares { get; } = new(learnsCaps: true);

    bool _reportedSome;

    /// <summary>The download's bytes, paced by its budgets until the response ends (<paramref name="vimId"/> null: not a VIM's pull).</summary>
    public Stream Pace(Stream content, string? vimId) => new BudgetedReadStream(content, Shares.Begin(vimId ?? TransferShares.NoVim));

    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var here = Shares.Here();
        if (here.Count == 0 && !_reportedSome)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var distribution = scope.ServiceProvider.GetRequiredService<DistributionClient>();
        var answer = await distribution.ExchangeTransferBudgetsAsync(new TransferBudgetReport { Reporter = Reporter, Transfers = here }, cancellationToken);
        Shares.Learn(answer.UplinkBytesPerSecond, answer.UplinkTransfersElsewhere, answer.TransfersElsewhere, answer.Caps);
        _reportedSome = here.Count > 0;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await Shares.NewVim.WaitAsync(ReportInterval, stoppingToken))
                {
                    while (Shares.NewVim.Wait(0, CancellationToken.None))
                    {
                        // one report for every download that began
                    }
                }

                await ReportAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                logger.LogWarning(exception, "Exchanging the downloads in flight with the Distribution for the bandwidth budgets failed; the shares learnt last stay.");
                await Task.Delay(ReportInterval, CancellationToken.None);
            }
        }
    }

    public override void Dispose()
    {
        Shares.Dispose();
        base.Dispose();
    }
}

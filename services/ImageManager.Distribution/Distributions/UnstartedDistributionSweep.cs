using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Asks again for the start of distributions that were written but not started for a while: their writer died between
/// its commit and its request (<see cref="DistributionStartRecorded"/>). Every replica sweeps; a start asked for twice
/// happens once (the row is marked in the same statement that claims it).
/// </summary>
public sealed partial class UnstartedDistributionSweep(
    IServiceScopeFactory scopes, IBus bus, IOptions<DistributionOptions> options, TimeProvider clock, ILogger<UnstartedDistributionSweep> logger) : BackgroundService
{
    const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.StartSweepInterval;
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(interval, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(exception);
            }
        }
    }

    /// <summary>Asks for the start of up to a batch of distributions owed for longer than <paramref name="age"/>; returns how many.</summary>
    public async Task<int> SweepAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DistributionDbContext>();
        var before = clock.GetUtcNow() - age;
        var owed = await db.Distributions.AsNoTracking()
            .Where(d => d.StartPublishedAt == null && d.UpdatedAt < before)
            .OrderBy(d => d.UpdatedAt)
            .Take(Batch)
            .Select(d => d.CorrelationId)
            .ToListAsync(cancellationToken);
        foreach (var id in owed)
        {
            LogStartOwed(id);
            await bus.Publish(new DistributionStartRecorded { DistributionId = id }, cancellationToken);
        }

        return owed.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Distribution {DistributionId} was written but not started; starting it now.")]
    partial void LogStartOwed(Guid distributionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for distributions not started failed; trying again at the next interval.")]
    partial void LogSweepFailed(Exception exception);
}

using Microsoft.Extensions.Options;
using Quartz;

namespace ImageManager.Distribution.Vims.Aai;

/// <summary>
/// The periodic A&amp;AI import, every <see cref="AaiOptions.Interval"/> when <see cref="AaiOptions.Periodic"/> is on, on one
/// replica at a time (the clustered job store). Its report goes to the log; an A&amp;AI that cannot be read is a warning,
/// and the next interval tries again.
/// </summary>
[DisallowConcurrentExecution]
public sealed class AaiImportJob(AaiImport import, IOptions<AaiOptions> options, ILogger<AaiImportJob> logger) : IJob
{
    public static readonly JobKey Key = new("aai-import", "maintenance");

    /// <summary>
    /// Schedules the job whatever <see cref="AaiOptions.Periodic"/> says (the job looks at it), so turning it on or off needs
    /// no clean-up of the store; the interval is read from <paramref name="configuration"/> when a replica starts.
    /// </summary>
    public static void Schedule(IServiceCollectionQuartzConfigurator quartz, IConfiguration configuration)
    {
        var interval = configuration.GetSection(AaiOptions.Section).Get<AaiOptions>()?.Interval ?? new AaiOptions().Interval;
        quartz.AddJob<AaiImportJob>(Key, job => job.StoreDurably());
        quartz.AddTrigger(trigger => trigger
            .ForJob(Key)
            .WithIdentity("aai-import", "maintenance")
            .StartNow()
            .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
    }

    public async Task Execute(IJobExecutionContext context)
    {
        if (!options.Value.Periodic || !import.Configured)
        {
            return;
        }

        try
        {
            await import.RunAsync(context.CancellationToken);
        }
        catch (AaiUnavailableException exception)
        {
            logger.LogWarning("The periodic A&AI import did not run: {Reason}", exception.Message);
        }
    }
}

using MassTransit;
using MassTransit.Scheduling;
using Quartz;

namespace ImageManager.Distribution.Scheduling;

/// <summary>Removes a scheduled message that has not been delivered yet.</summary>
public sealed class CancelScheduledMessageConsumer(ISchedulerFactory schedulerFactory) : IConsumer<CancelScheduledMessage>
{
    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        await scheduler.DeleteJob(new JobKey(context.Message.TokenId.ToString("N"), ScheduledMessageJob.Group), context.CancellationToken);
    }
}

using MassTransit;
using Quartz;

namespace ImageManager.Distribution.Scheduling;

/// <summary>Fires when a scheduled message is due and sends its stored envelope to the destination.</summary>
public sealed class ScheduledMessageJob(IBus bus, ILogger<ScheduledMessageJob> logger) : IJob
{
    public const string Group = "scheduled-messages";
    public const string DestinationKey = "destination";
    public const string ContentTypeKey = "contentType";
    public const string EnvelopeKey = "envelope";

    public async Task Execute(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        var destination = new Uri(data.GetString(DestinationKey)!);
        var serializer = new StoredEnvelopeSerializer(data.GetString(ContentTypeKey)!, data.GetString(EnvelopeKey)!);
        try
        {
            var endpoint = await bus.GetSendEndpoint(destination);
            await endpoint.Send(new ScheduledEnvelope(), Pipe.Execute<SendContext<ScheduledEnvelope>>(send => send.Serializer = serializer),
                context.CancellationToken);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Could not deliver scheduled message {Job} to {Destination}", context.JobDetail.Key, destination);
            // Quartz fires the job again; the message is not lost while the broker is away.
            throw new JobExecutionException(exception, refireImmediately: context.RefireCount < 5);
        }
    }
}

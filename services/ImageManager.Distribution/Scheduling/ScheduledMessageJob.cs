using System.Globalization;
using MassTransit;
using Quartz;

namespace ImageManager.Distribution.Scheduling;

/// <summary>Fires when a scheduled message is due and sends its stored envelope to the destination.</summary>
public sealed class ScheduledMessageJob(IBus bus, TimeProvider clock, ILogger<ScheduledMessageJob> logger) : IJob
{
    public const string Group = "scheduled-messages";
    public const string DestinationKey = "destination";
    public const string ContentTypeKey = "contentType";
    public const string EnvelopeKey = "envelope";

    /// <summary>On a trigger that fires the job again after a failed send: how many sends failed before.</summary>
    public const string FailuresKey = "failures";

    /// <summary>How long after a failed send the next try comes, by failures so far (the last one repeats).</summary>
    static readonly TimeSpan[] RetryWaits = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

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
        catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            await TryAgainLaterAsync(context, destination, exception);
        }
    }

    /// <summary>
    /// The message is not dropped when the broker refuses it (a node lost, a quorum queue electing its leader): the job
    /// fires again later, on a trigger of its own, for as long as it takes. Fired again at once instead (Quartz's refire), a
    /// few tries would be over within the outage, and the message (an upload's retry, say) lost with its target left waiting.
    /// </summary>
    async Task TryAgainLaterAsync(IJobExecutionContext context, Uri destination, Exception exception)
    {
        var failures = (context.Trigger.JobDataMap.TryGetString(FailuresKey, out var text) ? int.Parse(text!, CultureInfo.InvariantCulture) : 0) + 1;
        var wait = RetryWaits[Math.Min(failures, RetryWaits.Length) - 1];
        logger.LogWarning(exception, "Could not deliver scheduled message {Job} to {Destination} (failure {Failures}); trying again in {Wait}.",
            context.JobDetail.Key, destination, failures, wait);
        try
        {
            var retry = TriggerBuilder.Create()
                .ForJob(context.JobDetail)
                .WithIdentity($"{context.JobDetail.Key.Name}-{failures}", Group)
                .UsingJobData(FailuresKey, failures.ToString(CultureInfo.InvariantCulture))
                .StartAt(clock.GetUtcNow() + wait)
                .WithSimpleSchedule(s => s.WithMisfireHandlingInstructionFireNow())
                .Build();
            await context.Scheduler.ScheduleJob(retry, context.CancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // A recovered job (the process stopped while it ran) fails again on the trigger that already scheduled this
            // try: the next try stands, and firing again at once would only send the message twice.
            logger.LogInformation("The next try of scheduled message {Job} is already scheduled.", context.JobDetail.Key);
        }
        catch (Exception scheduling)
        {
            // The store itself is away too: Quartz fires the job again at once, a few times, then gives up on it.
            logger.LogError(scheduling, "Could not schedule the next try of scheduled message {Job}.", context.JobDetail.Key);
            throw new JobExecutionException(exception, refireImmediately: context.RefireCount < 5);
        }
    }
}

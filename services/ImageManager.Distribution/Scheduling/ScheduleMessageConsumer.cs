using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Scheduling;
using Quartz;

namespace ImageManager.Distribution.Scheduling;

/// <summary>
/// The durable scheduler's intake, on <c>queue:scheduler</c>: each <see cref="ScheduleMessage"/> becomes a Quartz
/// job in the PostgreSQL job store, keyed by the schedule's token so that it can be cancelled.
/// </summary>
/// <remarks>
/// The envelope to deliver is derived from the envelope that carried the ScheduleMessage: its headers (for instance
/// the redelivery count) stay, its message becomes the payload, its message types the payload's types.
/// </remarks>
public sealed class ScheduleMessageConsumer(ISchedulerFactory schedulerFactory) : IConsumer<ScheduleMessage>
{
    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var message = context.Message;
        var envelope = JsonNode.Parse(context.ReceiveContext.Body.GetString())?.AsObject()
            ?? throw new InvalidOperationException("The ScheduleMessage envelope is empty.");
        var scheduled = envelope["message"]?.AsObject()
            ?? throw new InvalidOperationException("The ScheduleMessage envelope has no message.");

        envelope["messageId"] = NewId.NextGuid().ToString();
        envelope["messageType"] = new JsonArray(message.PayloadType.Select(type => (JsonNode)JsonValue.Create(type)).ToArray());
        envelope["destinationAddress"] = message.Destination.ToString();
        envelope["message"] = scheduled["payload"]?.DeepClone();
        envelope.Remove("sentTime");

        var tokenId = message.CorrelationId.ToString("N");
        var job = JobBuilder.Create<ScheduledMessageJob>()
            .WithIdentity(tokenId, ScheduledMessageJob.Group)
            .UsingJobData(ScheduledMessageJob.DestinationKey, message.Destination.ToString())
            .UsingJobData(ScheduledMessageJob.ContentTypeKey, context.ReceiveContext.ContentType?.ToString() ?? "application/vnd.masstransit+json")
            .UsingJobData(ScheduledMessageJob.EnvelopeKey, envelope.ToJsonString())
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(tokenId, ScheduledMessageJob.Group)
            .StartAt(message.ScheduledTime)
            .WithSimpleSchedule(s => s.WithMisfireHandlingInstructionFireNow())
            .Build();

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        await scheduler.ScheduleJob(job, [trigger], replace: true, context.CancellationToken);
    }
}

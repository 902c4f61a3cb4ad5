using ImageManager.Contracts.Audit;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>
/// Lets a message through only from a sender the broker vouches for (the AMQP <c>user_id</c>): Image Manager's own
/// services, or an outside system configured in <see cref="BusSendersOptions"/> sending a command of
/// <see cref="BusCommandRules"/> its role allows. Anything else is refused: logged, audited, answered with the command's
/// refusal when it has one, and acknowledged without reaching a consumer. Outside commands that pass are audited too.
/// </summary>
public sealed class BusSenderCheck<T>(
    IOptions<RabbitMqOptions> broker,
    IOptions<BusSendersOptions> senders,
    IOptions<BusCommandRules> rules,
    TimeProvider clock,
    ILogger<BusSenderCheck<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        // Only RabbitMQ vouches for senders; the in-memory test harness has no broker users.
        if (!context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit))
        {
            await next.Send(context);
            return;
        }

        var user = rabbit.Properties.UserId;
        if (user is not null && user == BrokerUser.Of(broker.Value.Uri!))
        {
            // Our own: no payload, the common case on every message stays as cheap as it was.
            await next.Send(context);
            return;
        }

        var rule = rules.Value.Find(typeof(T));
        var sender = user is null ? null : senders.Value.Senders.GetValueOrDefault(user);
        var (status, reason) = (user, sender, rule) switch
        {
            (null or "", _, _) => (401, "The message names no sender: publish it with the AMQP user_id property set to the broker user of the connection."),
            (_, null, _) => (401, $"Broker user '{user}' is not a configured sender (BusSenders:Senders)."),
            (_, _, null) => (403, $"{typeof(T).Name} comes from Image Manager's own services only; broker user '{user}' may not send it."),
            _ when !CallerRoles.Expand([sender.Role]).Contains(rule.LeastRole) =>
                (403, $"{typeof(T).Name} needs the role '{rule.LeastRole}'; broker user '{user}' has '{sender.Role}'."),
            _ => (200, ""),
        };

        var caller = new BusCaller(string.IsNullOrEmpty(user) ? "unnamed" : user, sender?.Tenant, sender?.Role);
        if (status == 200)
        {
            context.GetOrAddPayload(() => caller);
            await next.Send(context);
            await AuditAsync(context, caller, rule, status);
            return;
        }

        var started = clock.GetTimestamp();
        logger.LogWarning("Refused {MessageType} {MessageId} from broker user {User}: {Reason}", typeof(T).Name, context.MessageId, caller.User, reason);
        await AuditAsync(context, caller, rule, status);
        if (rule is not null)
        {
            var answer = rule.Refusal(context, reason, clock.GetUtcNow());
            if (context.RequestId.HasValue && context.ResponseAddress is not null)
            {
                await context.RespondAsync(answer);
            }

            await context.Publish(answer);
        }

        // Dealt with: the log, the audit trail and the answer hold it. Left unconsumed, it would be moved to a
        // _skipped queue that any stranger could fill.
        await context.NotifyConsumed(context, clock.GetElapsedTime(started), nameof(BusSenderCheck<T>));
    }

    Task AuditAsync(ConsumeContext<T> context, BusCaller caller, BusCommandRule? rule, int status) =>
        context.Publish(new ChangeAudited
        {
            // One record per message, however often it is delivered and however many endpoints refuse it.
            AuditId = context.MessageId ?? NewId.NextGuid(),
            At = clock.GetUtcNow(),
            Caller = caller.AuditName,
            Tenant = caller.Tenant,
            Action = rule?.AuditAction ?? $"bus.{typeof(T).Name}",
            Method = "AMQP",
            Path = context.ReceiveContext.InputAddress.AbsolutePath,
            ResourceId = rule?.ResourceId(context),
            Source = "broker",
            Status = status,
            Outcome = status == 200 ? "succeeded" : "refused",
        });

    public void Probe(ProbeContext context) => context.CreateFilterScope("busSenderCheck");
}

using ImageManager.Contracts.Recalls;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.BusAccess;
using MassTransit;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// Image Manager's own policies (end of life, a withdrawn signer) recall over the bus: the same creation, with the same
/// checks, as <c>POST /api/v1/recalls</c>. An outside sender must have the operator role; a repeat changes nothing.
/// </summary>
public sealed class StartRecallConsumer(RecallCreation creation, ILogger<StartRecallConsumer> logger) : IConsumer<StartRecall>
{
    public async Task Consume(ConsumeContext<StartRecall> context)
    {
        ForwardedCaller? requester = null;
        if (context.TryGetPayload<BusCaller>(out var sender))
        {
            if (sender.Role != CallerRoles.Operator)
            {
                logger.LogWarning("Recall {RecallId} from {Sender} refused: only operators recall.", context.Message.RecallId, sender.AuditName);
                return;
            }

            requester = new ForwardedCaller(sender.AuditName, sender.Tenant ?? "", CallerRoles.Expand([sender.Role]));
        }

        var acceptance = await creation.CreateAsync(context.Message, requester, dryRun: false, context.CancellationToken);
        if (acceptance.Refusal is { StatusCode: StatusCodes.Status503ServiceUnavailable } unavailable)
        {
            throw new InvalidOperationException(unavailable.Detail); // retried, then kept in the error queue: not refused for an outage
        }

        if (acceptance.Refusal is { } refusal)
        {
            logger.LogWarning("Recall {RecallId} of image {ImageId} refused: {Reason}", context.Message.RecallId, context.Message.ImageId, refusal.Detail);
        }
    }
}

using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.BusAccess;
using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// SO / VF-C distribute over the bus (and Image Manager's own repairs do): the same creation, with the same checks, as
/// <c>POST /api/v1/distributions</c>. An outside sender's distribution is its configured tenant's, whatever the message
/// says, and the image must be one that tenant may see. A refusal is published (and is the response, when asked with
/// request/response); a repeat of an accepted request changes nothing but asks again for its start and completion.
/// </summary>
public sealed class DistributeRequestedConsumer(DistributionCreation creation, TimeProvider clock) : IConsumer<DistributeRequested>
{
    public async Task Consume(ConsumeContext<DistributeRequested> context)
    {
        var request = context.Message;
        ForwardedCaller? requester = null;
        if (context.TryGetPayload<BusCaller>(out var sender))
        {
            requester = new ForwardedCaller(sender.AuditName, sender.Tenant!, CallerRoles.Expand([sender.Role!]));
            request = request with { Tenant = sender.Tenant };
        }
        else if (request.Tenant is { } tenant)
        {
            // Image Manager's own services acting for a caller of theirs: as that tenant's distributor.
            requester = new ForwardedCaller("imagemanager", tenant, CallerRoles.Expand([CallerRoles.Distributor]));
        }

        var acceptance = await creation.CreateAsync(request, requester, context.ResponseAddress, context.RequestId, context.CancellationToken);
        if (acceptance.Refusal is { StatusCode: StatusCodes.Status503ServiceUnavailable } unavailable)
        {
            throw new InvalidOperationException(unavailable.Detail); // retried, then kept in the error queue: not refused for an outage
        }

        if (acceptance.Refusal is { } refusal)
        {
            var refused = new DistributionRefused { DistributionId = request.DistributionId, ImageId = request.ImageId, Reason = refusal.Detail, RefusedAt = clock.GetUtcNow() };
            if (context.RequestId.HasValue && context.ResponseAddress is not null)
            {
                await context.RespondAsync(refused);
            }

            await context.Publish(refused);
            return;
        }

        if (acceptance.Existed)
        {
            // The process that accepted it may have died before asking for either; each happens once however often asked.
            await context.Publish(new DistributionStartRecorded { DistributionId = request.DistributionId });
            await context.Publish(new DistributionCompletionRecorded { DistributionId = request.DistributionId });
        }
    }
}

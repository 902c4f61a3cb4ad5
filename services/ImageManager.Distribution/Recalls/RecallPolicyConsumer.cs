using ImageManager.Contracts.Images;
using ImageManager.Contracts.Recalls;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// The recall policies (<see cref="RecallPolicyOptions"/>): a withdrawn trust or a passed end of life recalls the image from
/// every VIM where Image Manager recorded a copy, through the same creation as <c>POST /api/v1/recalls</c>. The recall's id
/// is derived from the event (<see cref="RecallIds.OfPolicy"/>), so a redelivered event starts nothing new. An image held by
/// no VIM is not recalled (no empty recall is written; the creation refuses it and this logs why).
/// </summary>
public sealed class RecallPolicyConsumer(RecallCreation creation, IOptions<RecallPolicyOptions> options, TimeProvider clock, ILogger<RecallPolicyConsumer> logger)
    : IConsumer<ImageTrustWithdrawn>, IConsumer<ImageReachedEndOfLife>
{
    public Task Consume(ConsumeContext<ImageTrustWithdrawn> context) =>
        RecallAsync(options.Value.OnTrustWithdrawn, context.Message.ImageId, $"trust-withdrawn/{context.Message.ImageId}/{context.Message.SignerSha256Fingerprint}",
            RecallReasonKinds.RevokedKey, $"trust withdrawn: {context.Message.Reason}", context.CancellationToken);

    public Task Consume(ConsumeContext<ImageReachedEndOfLife> context) =>
        RecallAsync(options.Value.OnEndOfLife, context.Message.ImageId, $"end-of-life/{context.Message.ImageId}/{context.Message.EndOfLife:yyyy-MM-dd}",
            RecallReasonKinds.EndOfLife, $"end of life {context.Message.EndOfLife:yyyy-MM-dd}", context.CancellationToken);

    async Task RecallAsync(RecallPolicyAction policy, Guid imageId, string name, string reasonKind, string reason, CancellationToken cancellationToken)
    {
        if (policy == RecallPolicyAction.None)
        {
            return;
        }

        var request = new StartRecall
        {
            RecallId = RecallIds.OfPolicy(name),
            ImageId = imageId,
            Action = policy == RecallPolicyAction.Deactivate ? RecallActions.Deactivate : RecallActions.Remove,
            Reason = new RecallReason { Kind = reasonKind, Text = reason[..Math.Min(reason.Length, RecallCreation.MaxReasonLength)] },
            RequestedAt = clock.GetUtcNow(),
        };
        var acceptance = await creation.CreateAsync(request, requester: null, dryRun: false, cancellationToken);
        if (acceptance.Refusal is { StatusCode: StatusCodes.Status503ServiceUnavailable } unavailable)
        {
            throw new InvalidOperationException(unavailable.Detail); // retried: not dropped for an outage
        }

        if (acceptance.Refusal is { } refusal)
        {
            logger.LogInformation("No recall of image {ImageId} ({Reason}): {Why}", imageId, reason, refusal.Detail);
        }
        else if (!acceptance.Existed)
        {
            logger.LogWarning("Recall {RecallId} of image {ImageId} started by policy ({Action}): {Reason}", request.RecallId, imageId, request.Action, reason);
        }
    }
}

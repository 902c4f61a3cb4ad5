using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Regions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The first attempt of each target an <see cref="UploadImageToVims"/> names, side by side within the replica's limit
/// (<see cref="ReplicaUploadLimit"/>), each exactly as <see cref="UploadImageToVimConsumer"/> makes it in a scope of its
/// own; one that must wait or be tried again goes on as an <see cref="UploadImageToVim"/> of its own, through the
/// durable scheduler, as its second delivery. The command is done when every one of its targets is done or handed on.
/// Delivered again (its replica died meanwhile), or tried again (a target's upload failed on the database or the broker,
/// not the VIM), it runs only the targets not finished and not handed on for a retry; one
/// deferred for its VIM leaves no mark and may run twice, harmless as any redelivery (an upload makes sure the image is
/// there, under the same id on the VIM).
/// </summary>
public sealed class UploadImageToVimsConsumer(IServiceScopeFactory scopes, ReplicaUploadLimit limit, IDbContextFactory<DistributionDbContext> databases,
    IOptions<DistributionOptions> options)
    : IConsumer<UploadImageToVims>
{
    /// <summary>How many targets a distribution puts in one command.</summary>
    public const int TargetsPerCommand = 32;

    public async Task Consume(ConsumeContext<UploadImageToVims> context)
    {
        var command = context.Message;
        var vimIds = command.VimIds.Distinct(StringComparer.Ordinal).ToList();
        // Taken over from a regional queue, its worker may have finished some of its targets before it stopped.
        var handedOverFrom = RegionalQueues.HandedOverFrom(context);
        // Delivered again, or tried again after an outage failed one of its targets: the others finished or went on alone.
        if (context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0 || handedOverFrom is not null)
        {
            vimIds = await StillFirstAsync(command.DistributionId, vimIds, context.CancellationToken);
        }

        if (handedOverFrom is not null && vimIds.Count > 0)
        {
            await RegionalHandover.RecordAsync(databases, command.DistributionId, vimIds, RegionalHandover.Reason(handedOverFrom, RegionalQueues.DeadLettered(context), options.Value.RegionalHandoverAfter), context.CancellationToken);
        }

        await Task.WhenAll(vimIds.Select(vimId => UploadAsync(context, new UploadImageToVim { DistributionId = command.DistributionId, ImageId = command.ImageId, VimId = vimId })));
    }

    async Task UploadAsync(ConsumeContext context, UploadImageToVim target)
    {
        using var turn = await limit.TakeAsync(context.CancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<UploadImageToVimConsumer>();
        await uploads.UploadAsync(new TargetDelivery(target, Attempt: 1, Deferrals: 0, context, (wait, deferrals) => HandOnAsync(context, target, wait, deferrals)));
    }

    /// <summary>The target comes again alone, as its own command's second delivery would, on this replica's queue (its region's, or the central one).</summary>
    Task HandOnAsync(ConsumeContext context, UploadImageToVim target, TimeSpan wait, int deferrals) =>
        context.ScheduleSend(RegionalQueues.SingleAddress(options.Value.Region), wait, target, Pipe.Execute<SendContext>(send =>
        {
            send.Headers.Set(MessageHeaders.RedeliveryCount, 1);
            send.Headers.Set(UploadImageToVimConsumer.DeferralsHeader, deferrals);
        }), context.CancellationToken);

    /// <summary>Of the targets, those still at their first attempt and not final: the others finished, or went on alone.</summary>
    async Task<List<string>> StillFirstAsync(Guid distributionId, List<string> vimIds, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Targets.AsNoTracking()
            .Where(t => t.DistributionId == distributionId && vimIds.Contains(t.VimId) && t.Attempt <= 1 && TargetStates.Open.Contains(t.State)
                        && (t.LastError == null || t.State != TargetStates.Pending))
            .Select(t => t.VimId)
            .ToListAsync(cancellationToken);
    }
}

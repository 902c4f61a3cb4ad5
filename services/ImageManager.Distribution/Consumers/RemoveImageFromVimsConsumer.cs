using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Consumers;

/// <summary>
/// Deletes an image from the named VIMs (the catalogue's purge) and reports each one as <see cref="VimImageStateChanged"/>:
/// <c>removed</c>, or <c>failed</c> with what the VIM said. A VIM that cannot be reached now fails the whole message,
/// which is retried; removals already done are repeated harmlessly (a missing image counts as removed).
/// </summary>
public sealed class RemoveImageFromVimsConsumer(DistributionDbContext db, IEnumerable<IVimDriver> drivers, VimConnector connector, TimeProvider clock, ILogger<RemoveImageFromVimsConsumer> logger)
    : IConsumer<RemoveImageFromVims>
{
    public async Task Consume(ConsumeContext<RemoveImageFromVims> context)
    {
        var command = context.Message;
        foreach (var target in command.Targets)
        {
            var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == target.VimId, context.CancellationToken);
            string state = TargetStates.Removed;
            string? error = null;
            if (vim is null)
            {
                error = $"VIM '{target.VimId}' is not registered any more; the image cannot be removed from it.";
                state = TargetStates.Failed;
            }
            else if (target.VimImageId is { } vimImageId)
            {
                var driver = drivers.FirstOrDefault(d => d.VimType == vim.Type);
                try
                {
                    if (driver is null)
                    {
                        throw new VimRejectedException($"VIM type '{vim.Type}' has no driver.");
                    }

                    await driver.RemoveAsync(connector.Connect(vim), vimImageId, context.CancellationToken);
                }
                catch (VimRejectedException exception)
                {
                    (state, error) = (TargetStates.Failed, exception.Message);
                }
            }

            logger.LogInformation("Removal of image {ImageId} from VIM {VimId}: {State} {Error}", command.ImageId, target.VimId, state, error);
            await context.Publish(new VimImageStateChanged
            {
                DistributionId = command.RemovalId,
                ImageId = command.ImageId,
                VimId = target.VimId,
                State = state,
                Attempt = context.GetRetryAttempt() + 1,
                VimImageId = target.VimImageId,
                Error = error,
                ChangedAt = clock.GetUtcNow(),
            });
        }
    }
}

using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Removals;

/// <summary>
/// One target of a removal: the image lets go of its copies on one VIM (<see cref="VimCopyLedger.ReleaseAsync"/>). Only a
/// copy Image Manager created, that no other catalogue image relies on, is deleted: <c>removing</c>, then <c>removed</c>.
/// A copy found on the VIM, or still relied on, stays there: <c>released</c>, saying why. What the VIM refuses to delete
/// stays recorded: the target is <c>failed</c> and the location <c>removal-failed</c>, with the VIM's reason, until a
/// retry deletes it or an operator forgets it. A VIM that cannot be reached now is retried through the durable
/// scheduler, with backoff; a copy already gone counts as removed. What the catalogue believed was there
/// (<see cref="RemoveImageFromVim.VimImageId"/>) is never deleted on its word alone.
/// </summary>
public sealed class RemoveImageFromVimConsumer(
    DistributionDbContext db,
    IEnumerable<IVimDriver> drivers,
    VimConnector connector,
    IOptions<DistributionOptions> options,
    TimeProvider clock,
    ILogger<RemoveImageFromVimConsumer> logger) : IConsumer<RemoveImageFromVim>
{
    public async Task Consume(ConsumeContext<RemoveImageFromVim> context)
    {
        var command = context.Message;
        var attempt = context.GetRedeliveryCount() + 1;
        var releases = await VimCopyLedger.ReleaseAsync(db, command.ImageId, command.VimId, clock.GetUtcNow(), context.CancellationToken);
        var kept = string.Join(" ", releases.Where(r => !r.Delete).Select(r => r.KeptBecause));
        var toDelete = releases.Where(r => r.Delete).Select(r => r.VimImageId).ToList();
        if (toDelete.Count == 0)
        {
            var why = releases.Count == 0 ? $"Image Manager recorded no copy of this image on VIM '{command.VimId}'; nothing was deleted." : kept;
            logger.LogInformation("Removal of image {ImageId} from VIM {VimId}: released, {Why}", command.ImageId, command.VimId, why);
            await Report(context, TargetStates.Released, attempt, releases.FirstOrDefault()?.VimImageId, why);
            return;
        }

        var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == command.VimId, context.CancellationToken);
        var deleted = new List<string>();
        try
        {
            if (vim is null)
            {
                throw new VimRejectedException($"VIM '{command.VimId}' is not registered any more; the image cannot be removed from it (an operator can forget the location).");
            }

            var driver = drivers.FirstOrDefault(d => d.VimType == vim.Type) ?? throw new VimRejectedException($"VIM type '{vim.Type}' has no driver.");
            await Report(context, TargetStates.Removing, attempt, toDelete[0], null);
            foreach (var vimImageId in toDelete)
            {
                await driver.RemoveAsync(connector.Connect(vim), vimImageId, context.CancellationToken);
                await VimCopyLedger.RemovedAsync(db, command.VimId, vimImageId, clock.GetUtcNow(), context.CancellationToken);
                deleted.Add(vimImageId);
            }
        }
        catch (VimTransientException exception) when (attempt <= options.Value.RetryCount)
        {
            var wait = options.Value.RetryDelay(attempt, Random.Shared.NextDouble());
            // Still 'removing' (the copies stay marked so, and on the VIM, until deleted), as the next attempt, with this one's error.
            await Report(context, TargetStates.Removing, attempt + 1, toDelete[0], $"{exception.Message} (attempt {attempt} of {options.Value.RetryCount + 1}; next in {TimeSpan.FromSeconds(Math.Round(wait.TotalSeconds))})");
            await context.Redeliver(wait).WaitAsync(context.CancellationToken); // see UploadImageToVimConsumer.Report
            return;
        }
        catch (Exception exception) when (exception is VimRejectedException or VimTransientException)
        {
            var reason = $"The VIM did not delete it: {exception.Message}";
            foreach (var vimImageId in toDelete.Except(deleted))
            {
                await VimCopyLedger.RemovalRefusedAsync(db, command.VimId, vimImageId, reason, clock.GetUtcNow(), context.CancellationToken);
            }

            logger.LogWarning("Removal of image {ImageId} from VIM {VimId} failed: {Error}", command.ImageId, command.VimId, exception.Message);
            await Report(context, TargetStates.Failed, attempt, toDelete.Except(deleted).First(), reason, LocationStates.RemovalFailed);
            return;
        }

        logger.LogInformation("Removal of image {ImageId} from VIM {VimId}: removed {Copies}", command.ImageId, command.VimId, string.Join(", ", deleted));
        await Report(context, TargetStates.Removed, attempt, deleted[0], kept.Length == 0 ? null : kept);
    }

    Task Report(ConsumeContext<RemoveImageFromVim> context, string state, int attempt, string? vimImageId, string? error, string? locationState = null) =>
        context.Publish(new VimImageStateChanged
        {
            DistributionId = context.Message.RemovalId,
            ImageId = context.Message.ImageId,
            VimId = context.Message.VimId,
            State = state,
            Attempt = attempt,
            VimImageId = vimImageId,
            Error = error,
            LocationState = locationState,
            ChangedAt = clock.GetUtcNow(),
        }, context.CancellationToken).WaitAsync(context.CancellationToken); // see UploadImageToVimConsumer.Report
}

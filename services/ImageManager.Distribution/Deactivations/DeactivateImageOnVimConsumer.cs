using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Deactivations;

/// <summary>
/// One target of a deactivation: the image's copies on one VIM are deactivated (<see cref="IVimDriver.DeactivateAsync"/>):
/// <c>deactivating</c>, then <c>deactivated</c>. The rules of removal decide which copies are Image Manager's to touch
/// (<see cref="VimCopyLedger.DeactivationsAsync"/>): one found on the VIM, or relied on by another image, is left alone and
/// the target is <c>skipped</c>, saying why. A VIM type that cannot deactivate fails the target, saying so: the image is
/// still usable there, and the operator should know (a recall with <c>remove</c> takes it off). A VIM that cannot be
/// reached now is retried through the durable scheduler, with backoff, as removals are. The copies stay recorded: the
/// image still relies on them.
/// </summary>
public sealed class DeactivateImageOnVimConsumer(
    DistributionDbContext db,
    IEnumerable<IVimDriver> drivers,
    VimConnector connector,
    IOptions<DistributionOptions> options,
    TimeProvider clock,
    ILogger<DeactivateImageOnVimConsumer> logger) : IConsumer<DeactivateImageOnVim>
{
    public async Task Consume(ConsumeContext<DeactivateImageOnVim> context)
    {
        var command = context.Message;
        var attempt = context.GetRedeliveryCount() + 1;
        var copies = await VimCopyLedger.DeactivationsAsync(db, command.ImageId, command.VimId, context.CancellationToken);
        var kept = string.Join(" ", copies.Where(c => !c.Delete).Select(c => c.KeptBecause));
        var toDeactivate = copies.Where(c => c.Delete).Select(c => c.VimImageId).ToList();
        if (toDeactivate.Count == 0)
        {
            var why = copies.Count == 0 ? $"Image Manager recorded no copy of this image on VIM '{command.VimId}'; nothing was deactivated." : kept;
            await Report(context, TargetStates.Skipped, attempt, copies.FirstOrDefault()?.VimImageId, why);
            return;
        }

        var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == command.VimId, context.CancellationToken);
        var gone = new List<string>();
        try
        {
            if (vim is null)
            {
                throw new VimRejectedException($"VIM '{command.VimId}' is not registered any more; the image cannot be deactivated there.");
            }

            var driver = drivers.FirstOrDefault(d => d.VimType == vim.Type) ?? throw new VimRejectedException($"VIM type '{vim.Type}' has no driver.");
            if (driver.CannotDeactivate is { } cannot)
            {
                await Report(context, TargetStates.Failed, attempt, toDeactivate[0], $"VIM '{vim.Id}' ({vim.Type}): {cannot}", LocationStates.NotDeactivated);
                return;
            }

            await Report(context, TargetStates.Deactivating, attempt, toDeactivate[0], null);
            foreach (var vimImageId in toDeactivate)
            {
                if (!await driver.DeactivateAsync(connector.Connect(vim), vimImageId, context.CancellationToken))
                {
                    gone.Add(vimImageId);
                }
            }
        }
        catch (VimTransientException exception) when (attempt <= options.Value.RetryCount)
        {
            var wait = options.Value.RetryDelay(attempt, Random.Shared.NextDouble());
            await Report(context, TargetStates.Deactivating, attempt + 1, toDeactivate[0], $"{exception.Message} (attempt {attempt} of {options.Value.RetryCount + 1}; next in {TimeSpan.FromSeconds(Math.Round(wait.TotalSeconds))})");
            await context.Redeliver(wait).WaitAsync(context.CancellationToken); // see UploadImageToVimConsumer.Report
            return;
        }
        catch (Exception exception) when (exception is VimRejectedException or VimTransientException)
        {
            logger.LogWarning("Deactivation of image {ImageId} on VIM {VimId} failed: {Error}", command.ImageId, command.VimId, exception.Message);
            await Report(context, TargetStates.Failed, attempt, toDeactivate[0], $"The VIM did not deactivate it: {exception.Message}", LocationStates.NotDeactivated);
            return;
        }

        var deactivated = toDeactivate.Except(gone).ToList();
        var notes = string.Join(" ", new[] { kept, gone.Count == 0 ? "" : $"Not on the VIM any more: {string.Join(", ", gone)}." }.Where(n => n.Length > 0));
        logger.LogInformation("Deactivation of image {ImageId} on VIM {VimId}: deactivated {Copies}", command.ImageId, command.VimId, string.Join(", ", deactivated));
        await Report(context, deactivated.Count > 0 ? TargetStates.Deactivated : TargetStates.Skipped, attempt, deactivated.FirstOrDefault() ?? gone[0], notes.Length == 0 ? null : notes);
    }

    Task Report(ConsumeContext<DeactivateImageOnVim> context, string state, int attempt, string? vimImageId, string? error, string? locationState = null) =>
        context.Publish(new VimImageStateChanged
        {
            DistributionId = context.Message.DeactivationId,
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

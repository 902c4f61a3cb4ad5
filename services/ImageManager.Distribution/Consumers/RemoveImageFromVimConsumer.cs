using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Consumers;

/// <summary>
/// Deletes one image from one VIM, as one target of a removal: <c>removing</c>, then <c>removed</c>, or <c>failed</c>
/// with what the VIM said. A VIM that cannot be reached now is retried through the durable scheduler, with backoff;
/// a missing image counts as removed.
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
        var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == command.VimId, context.CancellationToken);
        string state = TargetStates.Removed;
        string? error = null;
        if (vim is null)
        {
            (state, error) = (TargetStates.Failed, $"VIM '{command.VimId}' is not registered any more; the image cannot be removed from it.");
        }
        else if (command.VimImageId is { } vimImageId)
        {
            await Report(context, TargetStates.Removing, attempt, null);
            try
            {
                var driver = drivers.FirstOrDefault(d => d.VimType == vim.Type) ?? throw new VimRejectedException($"VIM type '{vim.Type}' has no driver.");
                await driver.RemoveAsync(connector.Connect(vim), vimImageId, context.CancellationToken);
            }
            catch (VimTransientException exception) when (attempt <= options.Value.RetryCount)
            {
                var wait = options.Value.RetryDelay(attempt, Random.Shared.NextDouble());
                // Still 'removing' (the image is on the VIM until it is removed), as the next attempt, with this one's error.
                await Report(context, TargetStates.Removing, attempt + 1, $"{exception.Message} (attempt {attempt} of {options.Value.RetryCount + 1}; next in {TimeSpan.FromSeconds(Math.Round(wait.TotalSeconds))})");
                await context.Redeliver(wait).WaitAsync(context.CancellationToken); // see UploadImageToVimConsumer.Report
                return;
            }
            catch (Exception exception) when (exception is VimRejectedException or VimTransientException)
            {
                (state, error) = (TargetStates.Failed, exception.Message);
            }
        }

        logger.LogInformation("Removal of image {ImageId} from VIM {VimId}: {State} {Error}", command.ImageId, command.VimId, state, error);
        await Report(context, state, attempt, error);
    }

    Task Report(ConsumeContext<RemoveImageFromVim> context, string state, int attempt, string? error) =>
        context.Publish(new VimImageStateChanged
        {
            DistributionId = context.Message.RemovalId,
            ImageId = context.Message.ImageId,
            VimId = context.Message.VimId,
            State = state,
            Attempt = attempt,
            VimImageId = context.Message.VimImageId,
            Error = error,
            ChangedAt = clock.GetUtcNow(),
        }, context.CancellationToken).WaitAsync(context.CancellationToken); // see UploadImageToVimConsumer.Report
}

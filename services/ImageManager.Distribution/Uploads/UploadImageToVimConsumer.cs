using System.Security.Cryptography;
using System.Text;
using ImageManager.Contracts;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.Extensions.Options;
using ImageManager.ServiceDefaults;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// Puts one image on one VIM through the VIM type's driver and reports its progress as <see cref="VimImageStateChanged"/>,
/// published with other uploads' reports (<see cref="TargetReports"/>): a step (uploading, verifying) once it has lasted <see cref="DistributionOptions.ReportStepsAfter"/>, the attempt's end
/// always. A transient failure is retried through the durable scheduler after an exponential, jittered wait; the target shows
/// <c>pending</c> with the error meanwhile, and <c>failed</c> only when the retries are spent. A VIM whose circuit is
/// open, or that already takes as many uploads as its limit allows, gets the upload later without it costing an attempt.
/// While the bytes flow, the target's <c>bytesSent</c> follows them: counted as the VIM's connection sends them
/// (<see cref="SentBytes"/>), or, for a VIM that pulls, as the Api serves them to the link made for this attempt.
/// </summary>
public sealed class UploadImageToVimConsumer(
    DistributionDbContext db,
    IUploadContentSource content,
    IEnumerable<IVimDriver> drivers,
    VimConnector connector,
    VimCircuitBreaker circuitBreaker,
    VimUploadSlots slots,
    SentBytes sentBytes,
    UploadStartReads starts,
    UploadEndings endings,
    TargetReports reports,
    VimCopyClaimBatches claims,
    RecentImages images,
    ReplicaUploadLimit limit,
    HubRoutes hubRoutes,
    IOptions<DistributionOptions> options,
    IOptions<InternalAccessOptions> internalAccess,
    TimeProvider clock,
    ILogger<UploadImageToVimConsumer> logger) : IConsumer<UploadImageToVim>, IAsyncDisposable
{
    /// <summary>Counts the deferrals (circuit open, VIM busy) among the redeliveries, which are not attempts.</summary>
    public const string DeferralsHeader = "ImageManager-Deferrals";

    /// <summary>This attempt's steps, reported only when they last (one consumer instance per message).</summary>
    DeferredStepReport? _steps;

    public async Task Consume(ConsumeContext<UploadImageToVim> context)
    {
        var deferrals = context.Headers.Get<int>(DeferralsHeader) ?? 0;
        using var turn = await limit.TakeAsync(context.CancellationToken);
        await UploadAsync(new TargetDelivery(context.Message, context.GetRedeliveryCount() + 1 - deferrals, deferrals, context,
            (wait, nextDeferrals) => context.Redeliver(wait, (_, send) => send.Headers.Set(DeferralsHeader, nextDeferrals))));
    }

    /// <summary>One target's upload, from its own command or as one of an <see cref="UploadImageToVims"/>'s (<see cref="UploadImageToVimsConsumer"/>).</summary>
    public async Task UploadAsync(TargetDelivery delivery)
    {
        var (command, context, attempt, deferrals) = (delivery.Command, delivery.Bus, delivery.Attempt, delivery.Deferrals);
        var retries = options.Value.RetryCount;
        Vim? vim = null;
        VimUploadLease? lease = null;
        RecordedVimCopyClaims? copies = null;
        IVimDriver? driver = null;
        try
        {
            (vim, var cancelled, var withdrawn, lease) = await FindVimAsync(command, context.CancellationToken);
            if (cancelled)
            {
                logger.LogInformation("Upload of image {ImageId} to VIM {VimId} was cancelled; nothing sent.", command.ImageId, command.VimId);
                return; // cancelled before it started, or while it waited for a retry
            }

            if (withdrawn)
            {
                throw new ImageWithdrawnException($"Image {command.ImageId} is being deleted from the catalogue; nothing was sent.");
            }

            (var image, driver) = await ResolveAsync(command, vim, context.CancellationToken);
            copies = new RecordedVimCopyClaims(db, claims, image, vim.Id, command.DistributionId, clock);
            var now = clock.GetUtcNow();
            if (VimCircuitBreaker.IsOpen(vim, now))
            {
                await DeferAsync(delivery, vim.CircuitOpenUntil!.Value - now, $"VIM {vim.Id} is unavailable (circuit open until {vim.CircuitOpenUntil:O})");
                return;
            }

            if (lease is null)
            {
                await DeferAsync(delivery, TimeSpan.FromSeconds(2), $"VIM {vim.Id} already takes {vim.MaxConcurrentUploads} uploads");
                return;
            }

            _steps = new DeferredStepReport((state, bytes) => Publish(delivery, state, bytesSent: bytes), options.Value.ReportStepsAfter, clock, logger);
            await _steps.BeginAsync(TargetStates.Uploading);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(options.Value.UploadTimeout);

            // A VIM that pulls is counted by the Api as it serves the link, which names this attempt; a run of ours must not
            // overwrite that count with its own nothing.
            var count = vim.UploadMode == VimUploadModes.WebDownload ? null : sentBytes.Start(command.DistributionId, command.VimId, attempt);
            VimUploadResult result;
            try
            {
                result = await driver.EnsurePresentAsync(
                    new VimUpload(
                        connector.Connect(vim, count is null ? null : count.Add),
                        image,
                        VimImageIdFor(command),
                        await content.OpenerAsync(delivery, vim, image, timeout.Token),
                        () =>
                        {
                            if (count is not null)
                            {
                                sentBytes.Stop(count);
                            }

                            return _steps.BeginAsync(TargetStates.Verifying, count?.Bytes ?? 0);
                        },
                        copies,
                        await hubRoutes.DownloadUrlAsync(vim, command.DistributionId, attempt, options.Value.DownloadUrlOf(image.Id,
                            SignedDownloadUrl.QueryFor(image.Id, clock.GetUtcNow() + options.Value.UploadTimeout, internalAccess.Value.ServiceToken!,
                                new DownloadTransfer(command.DistributionId, attempt, command.VimId))), timeout.Token)),
                    timeout.Token);
            }
            catch (OperationCanceledException exception) when (!context.CancellationToken.IsCancellationRequested)
            {
                throw new VimTransientException($"The upload took longer than {options.Value.UploadTimeout}.", exception);
            }
            catch (System.Text.Json.JsonException exception)
            {
                // A 2xx whose body is not the API's JSON (a proxy's page, garbage): the VIM's fault, retried like any, never a stuck target.
                throw new VimTransientException($"VIM {vim.Id} answered with something that is not its API's JSON ({exception.Message}).", exception);
            }
            catch (Exception exception) when (exception is VimTransientException or VimRejectedException && copies.Claimed is not null)
            {
                // A purge may have deleted the copy under the upload: that is the purge's doing, not the VIM's failure.
                if (await VimCopyLedger.IsWithdrawnAsync(db, command.ImageId, context.CancellationToken))
                {
                    throw new ImageWithdrawnException($"Image {command.ImageId} was deleted from the catalogue while it was being uploaded ({exception.Message}).");
                }

                throw;
            }
            finally
            {
                if (count is not null)
                {
                    sentBytes.Stop(count);
                }
            }

            if (!await endings.RecordAsync(vim, result.AlreadyPresent ? null : result.VimImageId, context.CancellationToken))
            {
                throw new ImageWithdrawnException($"Image {command.ImageId} was deleted from the catalogue while it was being uploaded.");
            }

            await Report(delivery, result.AlreadyPresent ? TargetStates.Skipped : TargetStates.Active, result.VimImageId, bytesSent: result.BytesSent, origin: copies.Origin);
        }
        catch (ImageWithdrawnException exception)
        {
            await Report(delivery, TargetStates.Cancelled, error: exception.Message + await LetGoAsync(delivery, vim, driver, copies?.Claimed));
        }
        catch (VimTransientException exception) when (attempt <= retries)
        {
            await RecordVimFailureAsync(vim, exception, context.CancellationToken);
            var wait = options.Value.RetryDelay(attempt, Random.Shared.NextDouble());
            logger.LogWarning("Upload of image {ImageId} to VIM {VimId} failed (attempt {Attempt}), retrying in {Wait}: {Error}",
                command.ImageId, command.VimId, attempt, wait, exception.Message);
            // Handed on before it is reported: a replica that dies between the two leaves the retry scheduled and the target
            // at its first attempt, which a redelivered batch runs again (harmless: ensure-present), never a target marked as
            // waiting for a retry that nothing scheduled (a batch delivered again skips those).
            await delivery.Redeliver(wait, deferrals).WaitAsync(context.CancellationToken);
            await Report(delivery, TargetStates.Pending, error: $"{exception.Message} (attempt {attempt} of {retries + 1}; next in {TimeSpan.FromSeconds(Math.Round(wait.TotalSeconds))})");
        }
        catch (Exception exception) when (exception is VimTransientException or VimRejectedException)
        {
            if (exception is VimTransientException)
            {
                await RecordVimFailureAsync(vim, exception, context.CancellationToken);
            }

            var spent = exception is VimTransientException ? $" (gave up after {attempt} attempts)" : "";
            await Report(delivery, TargetStates.Failed, error: exception.Message + spent);
        }
        finally
        {
            if (lease is not null)
            {
                slots.Release(lease);
            }
        }
    }

    /// <summary>Ends a step report still waiting when the message ended without one (its scope disposes the consumer).</summary>
    public ValueTask DisposeAsync() => _steps?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The image left while this upload ran: a copy it claimed may be on the VIM (the purge's removal may have looked before
    /// it was made), so the image lets go of its copies there by the same rules as a removal: deleted only if Image
    /// Manager made it and nothing else relies on it. Deleting what is not there counts as removed.
    /// </summary>
    async Task<string> LetGoAsync(TargetDelivery delivery, Vim? vim, IVimDriver? driver, string? claimed)
    {
        if (vim is null || driver is null || claimed is null)
        {
            return "";
        }

        var (command, cancellationToken) = (delivery.Command, delivery.Bus.CancellationToken);
        var toDelete = (await VimCopyLedger.ReleaseAsync(db, command.ImageId, vim.Id, clock.GetUtcNow(), cancellationToken)).Where(r => r.Delete).Select(r => r.VimImageId).ToList();
        try
        {
            foreach (var vimImageId in toDelete)
            {
                await driver.RemoveAsync(connector.Connect(vim), vimImageId, cancellationToken);
                await VimCopyLedger.RemovedAsync(db, vim.Id, vimImageId, clock.GetUtcNow(), cancellationToken);
            }

            return toDelete.Count == 0 ? "" : $" The copy it had made on the VIM ({string.Join(", ", toDelete)}) was removed.";
        }
        catch (Exception exception) when (exception is VimTransientException or VimRejectedException)
        {
            // Still recorded (removing, with the image's reference): a removal of its own retries it with backoff, tracked
            // like any (the image may have left the catalogue already, so nothing else would).
            var removals = await delivery.Bus.GetSendEndpoint(BusAddresses.Endpoint(CommandQueues.RemoveImageFromVims));
            var removalId = NewId.NextSequentialGuid();
            await removals.Send(new RemoveImageFromVims
            {
                RemovalId = removalId,
                ImageId = command.ImageId,
                Targets = [new VimImageReference { VimId = vim.Id }],
                RequestedAt = clock.GetUtcNow(),
                KeepImage = true,
            }, cancellationToken).WaitAsync(cancellationToken);
            return $" The copy it had made on the VIM ({string.Join(", ", toDelete)}) could not be removed yet ({exception.Message}); removal {removalId} retries it.";
        }
    }

    /// <summary>Only failures of the VIM itself count towards its circuit, not an image that is not ready here yet.</summary>
    async Task RecordVimFailureAsync(Vim? vim, Exception exception, CancellationToken cancellationToken)
    {
        if (vim is not null)
        {
            await circuitBreaker.RecordFailureAsync(db, vim.Id, exception, cancellationToken);
        }
    }

    async Task DeferAsync(TargetDelivery delivery, TimeSpan wait, string why)
    {
        // Spread the wake-ups: a thousand uploads waiting on one VIM should not all come back in the same instant.
        var spread = wait + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000 + (int)(wait.TotalMilliseconds / 10)));
        logger.LogDebug("Upload of image {ImageId} to VIM {VimId} deferred by {Wait}: {Why}.", delivery.Command.ImageId, delivery.Command.VimId, spread, why);
        await delivery.Redeliver(spread, delivery.Deferrals + 1).WaitAsync(delivery.Bus.CancellationToken);
    }

    /// <summary>
    /// The VIM, whether this target was cancelled meanwhile, whether the image is leaving the catalogue, and one of the VIM's
    /// upload slots taken for this upload unless its circuit is open: one read, made together with those of the uploads
    /// starting at the same time (<see cref="UploadStartReads"/>).
    /// </summary>
    async Task<(Vim Vim, bool Cancelled, bool Withdrawn, VimUploadLease? Lease)> FindVimAsync(UploadImageToVim command, CancellationToken cancellationToken)
    {
        var start = await starts.ReadAsync(command.VimId, command.DistributionId, command.ImageId, cancellationToken)
            ?? throw new VimRejectedException($"VIM '{command.VimId}' is not registered.");
        return (start.Vim, start.Cancelled, start.Withdrawn, start.Lease);
    }

    async Task<(DistributableImage Image, IVimDriver Driver)> ResolveAsync(UploadImageToVim command, Vim vim, CancellationToken cancellationToken)
    {
        var driver = drivers.FirstOrDefault(d => d.VimType == vim.Type)
            ?? throw new VimRejectedException($"VIM type '{vim.Type}' has no driver.");

        // The validation event that records the image here may still be on its way when the distribution starts.
        var image = await images.FindAsync(db, command.ImageId, cancellationToken)
            ?? throw new VimTransientException($"Image {command.ImageId} is not known to distribution as a validated image.");
        if (!driver.Takes(image.Kind, image.DetectedType))
        {
            // A bus request may name any VIM (the Api refuses such a one up front): no byte goes where it cannot be used.
            throw new VimRejectedException(VimTypeFit.WhyNot(driver, image.Kind, image.DetectedType));
        }

        if (image.Deactivated)
        {
            // Retried, not failed: a reactivation may be on its way here while the catalogue already accepted this distribution.
            throw new VimTransientException($"Image {command.ImageId} is deactivated in the catalogue; it is sent once reactivated.");
        }

        if (!await content.ExistsAsync(image, cancellationToken))
        {
            throw new VimRejectedException($"The bytes of image {command.ImageId} are missing from the blob store.");
        }

        return (image, driver);
    }

    /// <remarks>
    /// Every bus call here is awaited with <see cref="Task.WaitAsync(CancellationToken)"/> on the message's cancellation. When the
    /// broker connection drops, MassTransit cancels the messages in flight and starts the endpoint again only once they have all
    /// ended; a publish or a redelivery waiting for the lost channel does not end on that cancellation (not even when given the
    /// token), so one upload caught reporting would leave the upload queue without a consumer for good. Abandoned, such a call
    /// may still go out later: a late progress event changes nothing (progress only moves forward), a second redelivery finds the image on the VIM.
    /// </remarks>
    async Task Report(TargetDelivery delivery, string state, string? vimImageId = null, string? error = null, long bytesSent = 0, string? origin = null)
    {
        if (_steps is not null)
        {
            await _steps.StopAsync(); // no step after the end
        }

        await Publish(delivery, state, vimImageId, error, bytesSent, origin);
    }

    Task Publish(TargetDelivery delivery, string state, string? vimImageId = null, string? error = null, long bytesSent = 0, string? origin = null) =>
        reports.ReportAsync(new VimImageStateChanged
        {
            DistributionId = delivery.Command.DistributionId,
            ImageId = delivery.Command.ImageId,
            VimId = delivery.Command.VimId,
            State = state,
            Attempt = delivery.Attempt,
            VimImageId = vimImageId,
            Error = error,
            BytesSent = bytesSent,
            Origin = origin,
            ChangedAt = clock.GetUtcNow(),
        }, delivery.Bus.CancellationToken);

    /// <summary>The image's id on the VIM: derived from the distribution and the VIM, so every retry names the same image.</summary>
    public static string VimImageIdFor(UploadImageToVim command)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{command.DistributionId:N}/{command.VimId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // RFC 4122 version 5 layout: name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

/// <summary>
/// Runs <see cref="IResumableUploads.SweepAsync"/> a minute after start and then every tenth of the expiry (at most
/// hourly). Every replica runs it: a sweep only deletes what is older than the expiry, and deleting twice is harmless.
/// </summary>
public sealed partial class ResumableUploadSweep(IResumableUploads uploads, IOptions<BlobStoreOptions> options, TimeProvider clock, ILogger<ResumableUploadSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromTicks(Math.Min(options.Value.ResumableUploadExpiry.Ticks / 10, TimeSpan.FromHours(1).Ticks));
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            while (true)
            {
                try
                {
                    var removed = await uploads.SweepAsync(stoppingToken);
                    if (removed > 0)
                    {
                        LogSwept(removed);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The store may be away for a while; the next round tries again.
                    LogFailed(exception);
                }

                await Task.Delay(every, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired resumable uploads and leftovers of failed writes")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired resumable uploads failed; trying again later")]
    private partial void LogFailed(Exception exception);
}

using System.Collections.Concurrent;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.Access;
using MassTransit;

namespace ImageManager.Api.Images;

/// <summary>
/// Counts the bytes this replica serves to VIMs that pull an image for a target (a signed link naming a
/// <see cref="DownloadTransfer"/>) and reports them every <see cref="ReportInterval"/> as one
/// <see cref="TargetBytesServed"/> for all targets whose download moved: the Distribution writes each report in one
/// statement, so a thousand VIMs pulling at once cost one write a second per Api replica, not a thousand.
/// </summary>
public sealed class ServedBytes(IBus bus, TimeProvider clock, ILogger<ServedBytes> logger) : BackgroundService
{
    /// <summary>How often the downloads that moved are reported: under the 2 s within which a target's bytes must show.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    readonly ConcurrentDictionary<DownloadTransfer, Download> _downloads = new();

    /// <summary>
    /// A VIM began reading the image for <paramref name="transfer"/>: the count is this download's from now on (a VIM that
    /// starts over reads from the start again). The stream reports how far it has read; disposing it ends the download.
    /// </summary>
    public Stream Count(DownloadTransfer transfer, Stream content)
    {
        var download = new Download(clock.GetTimestamp());
        _downloads[transfer] = download;
        return new ServedBytesStream(content, position => download.Reached(position), () => download.Ended = true);
    }

    /// <summary>Publishes the downloads that moved since the last report (and, once more, those that ended), then forgets the ended ones.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var moved = new List<(DownloadTransfer Transfer, Download Download, long Bytes)>();
        foreach (var (transfer, download) in _downloads)
        {
            var ended = download.Ended;
            if (download.TakeMoved() is { } bytes)
            {
                moved.Add((transfer, download, bytes));
            }

            if (ended)
            {
                _downloads.TryRemove(new KeyValuePair<DownloadTransfer, Download>(transfer, download));
            }
        }

        if (moved.Count == 0)
        {
            return;
        }

        var targets = moved.Select(m => new TargetBytes
        {
            DistributionId = m.Transfer.DistributionId,
            VimId = m.Transfer.VimId,
            Attempt = m.Transfer.Attempt,
            Bytes = m.Bytes,
            BytesPerSecond = clock.GetElapsedTime(m.Download.Started) is { TotalSeconds: >= 0.5 } elapsed && m.Bytes > 0 ? Math.Round(m.Bytes / elapsed.TotalSeconds) : null,
        }).ToList();
        try
        {
            await bus.Publish(new TargetBytesServed { Targets = targets }, cancellationToken).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A later report carries the count anyway: only the moments in between are lost.
            moved.ForEach(m => m.Download.MovedAgain());
            logger.LogWarning(exception, "Reporting the bytes served to {Count} pulling VIMs failed; trying again at the next report.", moved.Count);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReportInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>One download of one target: the furthest byte read, and whether that moved since it was last reported.</summary>
    sealed class Download(long started)
    {
        long _furthest;
        int _moved = 1; // the first report says the download began, even before a byte was read

        public long Started { get; } = started;
        public volatile bool Ended;

        public void Reached(long position)
        {
            long seen;
            while (position > (seen = Interlocked.Read(ref _furthest)))
            {
                if (Interlocked.CompareExchange(ref _furthest, position, seen) == seen)
                {
                    Volatile.Write(ref _moved, 1);
                    return;
                }
            }
        }

        public long? TakeMoved() => Interlocked.Exchange(ref _moved, 0) == 1 ? Interlocked.Read(ref _furthest) : null;

        public void MovedAgain() => Volatile.Write(ref _moved, 1);
    }
}

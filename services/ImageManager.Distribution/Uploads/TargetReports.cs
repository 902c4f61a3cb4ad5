using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using MassTransit;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// This replica's uploads' reports (steps and ends of targets) published together: what arrives while one
/// <see cref="VimImageStatesChanged"/> is on its way goes in the next, so a report alone waits for nobody and ten
/// thousand uploads ending within seconds are a few hundred messages. Each report is answered once the broker confirmed
/// the message that carries it: an upload acknowledges its command only after that, so no end is lost.
/// </summary>
public sealed class TargetReports(IBus bus, ILogger<TargetReports> logger) : GroupCommit<TargetReports.Report>(logger)
{
    static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    const int PublishAttempts = 10;

    /// <summary>Publishes <paramref name="change"/> with the others reported meanwhile; ends when the broker has it.</summary>
    public Task ReportAsync(VimImageStateChanged change, CancellationToken cancellationToken)
    {
        var report = new Report(change, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(report);
        return report.Published.Task.WaitAsync(cancellationToken);
    }

    protected override async Task WriteAsync(List<Report> batch, CancellationToken cancellationToken)
    {
        // Bounded: a publish waiting on a lost channel ends on nothing, and would hold every later report. Abandoned, it may
        // still go out: a repeated report changes nothing (progress only moves forward).
        // A publish refused while the broker comes back is tried again: an upload given the failure would fault its command
        // (the error queue, its retry lost), where one that waits is cancelled with its message and delivered again.
        var message = new VimImageStatesChanged { Changes = batch.Select(r => r.Change).ToList() };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await bus.Publish(message, cancellationToken).WaitAsync(PublishTimeout, cancellationToken);
                break;
            }
            catch (Exception exception) when (attempt < PublishAttempts && exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Publishing {Count} upload reports failed (attempt {Attempt}); trying again.", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }

        batch.ForEach(r => r.Published.TrySetResult());
    }

    protected override Task FailedAsync(List<Report> batch, Exception exception, CancellationToken cancellationToken)
    {
        // Each upload fails as its own publish would have: its command is tried again.
        batch.ForEach(r => r.Published.TrySetException(exception));
        return Task.CompletedTask;
    }

    /// <summary>One target's change, and its answer.</summary>
    public sealed record Report(VimImageStateChanged Change, TaskCompletionSource Published);
}

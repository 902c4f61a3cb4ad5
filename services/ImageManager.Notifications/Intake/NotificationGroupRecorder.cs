using System.Threading.Channels;
using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// The intake's notifications recorded together: whatever the consumers hand in while one transaction runs goes into the
/// next (at most <see cref="MostPerTransaction"/>), so one alone waits for nobody and ten thousand targets' final states
/// take about a hundred transactions, not ten thousand. One writer per replica, so a notification handed over twice is
/// found recorded, never raced by itself. Each message stays with its consumer (and the bus's sender check) until its
/// transaction committed: only then is it acknowledged; a failed transaction fails each of its messages, which are tried
/// again. Not a MassTransit batch consumer: a batch's filters see only its first message, and the sender check must see each.
/// </summary>
public sealed partial class NotificationGroupRecorder(NotificationRecorder recorder, DeliverySignal signal, ILogger<NotificationGroupRecorder> logger)
    : BackgroundService
{
    const int MostPerTransaction = 200;

    readonly Channel<(IncomingNotification Notification, TaskCompletionSource Recorded)> _waiting =
        Channel.CreateUnbounded<(IncomingNotification, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Returns once <paramref name="notification"/> is recorded (or was already), with its deliveries.</summary>
    public Task RecordAsync(IncomingNotification notification, CancellationToken cancellationToken)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Writer.TryWrite((notification, recorded));
        return recorded.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(IncomingNotification Notification, TaskCompletionSource Recorded)>(MostPerTransaction);
        while (await _waiting.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MostPerTransaction && _waiting.Reader.TryRead(out var waiting))
            {
                batch.Add(waiting);
            }

            try
            {
                if (await recorder.RecordAsync(batch.Select(b => b.Notification).ToList(), stoppingToken) > 0)
                {
                    signal.Notify();
                }

                batch.ForEach(b => b.Recorded.TrySetResult());
            }
            catch (Exception e)
            {
                LogFailed(logger, batch.Count, e);
                batch.ForEach(b => b.Recorded.TrySetException(e));
            }

            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recording {Count} notifications together failed")]
    static partial void LogFailed(ILogger logger, int count, Exception exception);
}

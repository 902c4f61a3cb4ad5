using ImageManager.Notifications.Webhooks;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Makes the intake's bindings match the subscriptions when the service starts (once the bus has declared the queue;
/// this also removes an earlier version's catch-all binding), then every <see cref="WebhookOptions.BindingsCheckInterval"/>.
/// </summary>
public sealed partial class IntakeBindingKeeper(SubscribedTypesBinder binder, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<IntakeBindingKeeper> logger) : BackgroundService
{
    static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    int _passed;

    /// <summary>Whether a pass has succeeded since the service started: until then a subscription's type may be unbound (a queue made anew).</summary>
    public bool Passed => Volatile.Read(ref _passed) == 1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await binder.ReconcileAsync(stoppingToken);
                Volatile.Write(ref _passed, 1);
                failures = 0;
                wait = options.Value.BindingsCheckInterval;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // At start the queue may not exist yet; later, the broker or the database may be away. Told once a while, not every second.
                if (failures++ % 30 == 5)
                {
                    LogFailed(logger, e);
                }

                wait = RetryAfter;
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The intake's bindings could not be made to match the subscriptions; trying again every second")]
    static partial void LogFailed(ILogger logger, Exception exception);
}

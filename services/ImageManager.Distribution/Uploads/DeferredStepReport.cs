namespace ImageManager.Distribution.Uploads;

/// <summary>
/// Reports the steps of one upload attempt (uploading, verifying) only once they have lasted a while: at ten thousand
/// healthy VIMs most steps end within a second, and a message for each cost a bus delivery, a record and a notification
/// that the attempt's end makes stale at once. The end itself is not reported here: the consumer reports it after
/// <see cref="StopAsync"/>, so that no step ever follows it on the bus.
/// </summary>
public sealed class DeferredStepReport(Func<string, long, Task> report, TimeSpan after, TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    CancellationTokenSource? _pending;
    Task _reporting = Task.CompletedTask;

    /// <summary>A step begins: reported (with <paramref name="bytesSent"/>) unless another step, or the end, comes first.</summary>
    public async Task BeginAsync(string state, long bytesSent = 0)
    {
        await StopAsync();
        _pending = new CancellationTokenSource();
        _reporting = ReportLaterAsync(state, bytesSent, _pending.Token);
    }

    /// <summary>The step ended: its report is dropped if it has not gone out, awaited if it is going out.</summary>
    public async Task StopAsync()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        _pending = null;
        await pending.CancelAsync();
        await _reporting;
        pending.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    async Task ReportLaterAsync(string state, long bytesSent, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, clock, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await report(state, bytesSent);
        }
        catch (Exception exception)
        {
            // A step's report is superseded by the attempt's end, which is reported (or the message redelivered) anyway.
            logger.LogDebug(exception, "The report of step {State} did not go out.", state);
        }
    }
}

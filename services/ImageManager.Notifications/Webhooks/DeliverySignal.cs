namespace ImageManager.Notifications.Webhooks;

/// <summary>Wakes the dispatcher when there is something to send now (a new event, a free slot, a resumed subscription).</summary>
public sealed class DeliverySignal : IDisposable
{
    readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one wake-up covers any number of reasons.
        }
    }

    public void Dispose() => _wake.Dispose();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}

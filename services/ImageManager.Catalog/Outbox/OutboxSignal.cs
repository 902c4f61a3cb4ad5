namespace ImageManager.Catalog.Outbox;

/// <summary>Wakes the <see cref="OutboxDispatcher"/> as soon as events were saved, instead of at its next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount == 0)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it first: one wake-up is enough.
            }
        }
    }

    public void Dispose() => _pending.Dispose();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}

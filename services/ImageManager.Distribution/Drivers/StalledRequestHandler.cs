namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Ends a request to a VIM that has stopped making progress: no byte of the request body taken and no answer for
/// <c>stallTimeout</c>. A multi-GiB upload that keeps moving is never cut short, while a VIM that accepts the
/// connection and then goes silent releases its worker within the timeout instead of holding it for hours.
/// Once the whole body is handed to the socket, up to 16 MiB of it may still sit in kernel buffers on their way to a
/// slow VIM; the wait for the answer is allowed that much longer, at the slowest rate we accept (64 KiB/s).
/// </summary>
public sealed class StalledRequestHandler(TimeSpan stallTimeout, TimeProvider clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lastProgress = clock.GetTimestamp();
        long drainTicks = 0;
        if (request.Content is { } content)
        {
            var drain = TimeSpan.FromSeconds(Math.Min(content.Headers.ContentLength ?? 0, 16 * 1024 * 1024) / 65_536.0);
            request.Content = new WrappedContent(
                content,
                transport => new ObservedWriteStream(transport, _ => Interlocked.Exchange(ref lastProgress, clock.GetTimestamp())),
                () => Interlocked.Exchange(ref drainTicks, drain.Ticks));
        }

        var check = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 50, stallTimeout.Ticks / 10));
        using var watchdog = new PeriodicTimer(check, clock);
        var watching = WatchAsync();
        try
        {
            return await base.SendAsync(request, stalled.Token);
        }
        catch (OperationCanceledException exception) when (stalled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // As the drivers see a dead connection: a transient failure, with what happened.
            throw new HttpRequestException($"no progress for {stallTimeout.TotalSeconds:0.#} s (the VIM stopped taking the request or answering it)", exception);
        }
        finally
        {
            watchdog.Dispose();
            await watching;
        }

        async Task WatchAsync()
        {
            while (await watchdog.WaitForNextTickAsync(CancellationToken.None))
            {
                if (clock.GetElapsedTime(Interlocked.Read(ref lastProgress)) > stallTimeout + TimeSpan.FromTicks(Interlocked.Read(ref drainTicks)))
                {
                    await stalled.CancelAsync();
                    return;
                }
            }
        }
    }
}

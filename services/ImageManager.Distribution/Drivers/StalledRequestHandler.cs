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
            request.Content = new ProgressContent(
                content,
                () => Interlocked.Exchange(ref lastProgress, clock.GetTimestamp()),
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

    /// <summary>The request body, reporting each read the transport makes of it.</summary>
    sealed class ProgressContent : HttpContent
    {
        readonly HttpContent _inner;
        readonly Action _progressed;
        readonly Action _sent;

        public ProgressContent(HttpContent inner, Action progressed, Action sent)
        {
            (_inner, _progressed, _sent) = (inner, progressed, sent);
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await using var source = await _inner.ReadAsStreamAsync(cancellationToken);
            // Big writes for big bodies (a 1 GiB image), small ones for small bodies (hundreds of uploads at once).
            var buffer = new byte[(int)Math.Clamp(_inner.Headers.ContentLength ?? 81_920, 4096, 1024 * 1024)];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                _progressed();
            }

            _sent();
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

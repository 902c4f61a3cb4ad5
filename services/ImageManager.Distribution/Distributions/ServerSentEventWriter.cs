using System.Text;

namespace ImageManager.Distribution.Distributions;

/// <summary>Writes whole server-sent events (or comments) and flushes each, so that nothing waits in a buffer.</summary>
public sealed class ServerSentEventWriter(HttpResponse response, TimeProvider clock)
{
    public DateTimeOffset LastWriteAt { get; private set; } = clock.GetUtcNow();

    public Task EventAsync(string id, string name, string data, CancellationToken cancellationToken) =>
        WriteAsync($"id: {id}\nevent: {name}\ndata: {data}\n\n", cancellationToken);

    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        LastWriteAt = clock.GetUtcNow();
    }
}

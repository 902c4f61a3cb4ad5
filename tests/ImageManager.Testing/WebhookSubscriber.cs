using System.Net;

namespace ImageManager.Testing;

/// <summary>
/// A webhook subscriber on loopback: it keeps every request it gets (body, signature, delivery id, attempt) and
/// answers as <see cref="Answer"/> says: a status, after a delay (a slow subscriber), or 200 at once.
/// </summary>
public sealed class WebhookSubscriber : IDisposable
{
    readonly LoopbackHttpServer _server;
    readonly List<ReceivedDelivery> _received = [];

    public WebhookSubscriber()
    {
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    public Uri Url => new(_server.Address, "hook");

    /// <summary>How to answer a request: its status and how long to wait first.</summary>
    public Func<ReceivedDelivery, (HttpStatusCode Status, TimeSpan Delay)> Answer { get; set; } = _ => (HttpStatusCode.OK, TimeSpan.Zero);

    public IReadOnlyList<ReceivedDelivery> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The requests about <paramref name="subject"/> (an image or distribution id).</summary>
    public IReadOnlyList<ReceivedDelivery> About(object subject) => Received.Where(r => r.Subject == subject.ToString()).ToList();

    public Task<IReadOnlyList<ReceivedDelivery>> WaitForAsync(Func<IReadOnlyList<ReceivedDelivery>, bool> done, string what) =>
        Eventually.Get(() => Task.FromResult(Received), done, TimeSpan.FromSeconds(60), what);

    async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var received = new ReceivedDelivery(
            body.ToArray(),
            context.Request.ContentType,
            context.Request.Headers["X-ImageManager-Signature"],
            context.Request.Headers["X-ImageManager-Delivery"],
            int.TryParse(context.Request.Headers["X-ImageManager-Attempt"], out var attempt) ? attempt : 0);
        lock (_received)
        {
            _received.Add(received);
        }

        var (status, delay) = Answer(received);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }

        context.Response.StatusCode = (int)status;
    }

    public void Dispose() => _server.Dispose();
}

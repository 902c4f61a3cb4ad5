using System.Net;

namespace ImageManager.Testing;

/// <summary>
/// A webhook subscriber on loopback: it keeps every request it gets (body, signature, delivery id, attempt) and
/// answers as <see cref="Answer"/> says: a status, after a delay (a slow subscriber), or 200 at once; with the body
/// <see cref="AnswerBody"/> gives, if any.
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

    /// <summary>The body of the answer and its content type, or null for none.</summary>
    public Func<ReceivedDelivery, (byte[] Body, string ContentType)?> AnswerBody { get; set; } = _ => null;

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
        if (AnswerBody(received) is { } answer)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.OutputStream.WriteAsync(answer.Body);
        }
    }

    public void Dispose() => _server.Dispose();
}

using System.Net;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A loopback proxy in front of a real Glance that answers <c>503</c> to the first <see cref="FailCreates"/> image
/// creations, then passes everything through: a VIM having a bad minute.
/// </summary>
public sealed class GlanceFaultProxy : IDisposable
{
    readonly HttpClient _glance;
    readonly LoopbackHttpServer _server;
    int _failuresLeft;

    public GlanceFaultProxy(Uri glance)
    {
        _glance = new HttpClient { BaseAddress = glance, Timeout = TimeSpan.FromMinutes(5) };
        _server = new LoopbackHttpServer(HandleAsync);
    }

    public Uri Address => _server.Address;

    /// <summary>How many <c>POST /v2/images</c> still get 503.</summary>
    public int FailCreates
    {
        get => Volatile.Read(ref _failuresLeft);
        set => Volatile.Write(ref _failuresLeft, value);
    }

    /// <summary>How many <c>503</c> answers were given.</summary>
    public int FailuresServed { get; private set; }

    public void Dispose()
    {
        _server.Dispose();
        _glance.Dispose();
    }

    async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod == "POST" && request.Url!.AbsolutePath.TrimEnd('/') == "/v2/images" && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            FailuresServed++;
            response.StatusCode = 503;
            await using var writer = new StreamWriter(response.OutputStream);
            await writer.WriteAsync("{\"message\": \"Service Unavailable (injected by the test)\"}");
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), request.Url!.PathAndQuery);
        if (request.HasEntityBody)
        {
            forward.Content = new StreamContent(request.InputStream);
            if (request.ContentType is { } type)
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }

            if (request.ContentLength64 >= 0)
            {
                forward.Content.Headers.ContentLength = request.ContentLength64;
            }
        }

        using var answer = await _glance.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode = (int)answer.StatusCode;
        if (answer.Content.Headers.ContentType is { } answerType)
        {
            response.ContentType = answerType.ToString();
        }

        await answer.Content.CopyToAsync(response.OutputStream);
    }
}

using System.Collections.Concurrent;
using System.Net;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary>A web site on 127.0.0.1 that serves files, for <c>image import</c> to fetch from.</summary>
public sealed class DownloadSite : IDisposable
{
    readonly ConcurrentDictionary<string, byte[]> _files = new();
    readonly LoopbackHttpServer _server;

    public DownloadSite() => _server = new LoopbackHttpServer(AnswerAsync);

    public Uri Serve(byte[] bytes)
    {
        var name = Guid.NewGuid().ToString("N") + ".img";
        _files[name] = bytes;
        return new Uri(_server.Address, name);
    }

    public void Dispose() => _server.Dispose();

    async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        if (!_files.TryGetValue(context.Request.Url!.AbsolutePath.TrimStart('/'), out var bytes))
        {
            response.StatusCode = 404;
            return;
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }
}

using System.Collections.Concurrent;
using System.Net;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A vendor's download site on loopback for <c>web-download</c> imports: serves the files it is given, answers 404
/// otherwise, and redirects <c>/redirect?to=URL</c>.
/// </summary>
public sealed class ImageSourceServer : IDisposable
{
    readonly ConcurrentDictionary<string, byte[]> _files = new();
    readonly LoopbackHttpServer _server;

    public ImageSourceServer() => _server = new LoopbackHttpServer(AnswerAsync);

    public Uri Address => _server.Address;

    public Uri Serve(string name, byte[] bytes)
    {
        _files[name] = bytes;
        return new Uri(Address, name);
    }

    public Uri RedirectTo(Uri target) => new(Address, $"redirect?to={Uri.EscapeDataString(target.ToString())}");

    public void Dispose() => _server.Dispose();

    async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var path = context.Request.Url!.AbsolutePath.TrimStart('/');
        if (path == "redirect")
        {
            response.StatusCode = 302;
            response.RedirectLocation = context.Request.QueryString["to"];
        }
        else if (_files.TryGetValue(path, out var bytes))
        {
            response.ContentType = "application/octet-stream";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
        else
        {
            response.StatusCode = 404;
        }
    }
}

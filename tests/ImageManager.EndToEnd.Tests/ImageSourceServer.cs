using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// A vendor's download site on loopback for <c>web-download</c> imports: serves the files it is given, answers 404
/// otherwise, and redirects <c>/redirect?to=URL</c>.
/// </summary>
public sealed class ImageSourceServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly ConcurrentDictionary<string, byte[]> _files = new();
    readonly CancellationTokenSource _stop = new();

    public ImageSourceServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }

        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Address { get; }

    public Uri Serve(string name, byte[] bytes)
    {
        _files[name] = bytes;
        return new Uri(Address, name);
    }

    public Uri RedirectTo(Uri target) => new(Address, $"redirect?to={Uri.EscapeDataString(target.ToString())}");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }

    async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
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
        catch (Exception)
        {
            // The importer hung up (for instance on a size limit); nothing to answer.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception)
            {
            }
        }
    }
}

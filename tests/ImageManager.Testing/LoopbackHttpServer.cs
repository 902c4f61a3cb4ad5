using System.Net;
using System.Net.Sockets;

namespace ImageManager.Testing;

/// <summary>
/// A small HTTP server on a free 127.0.0.1 port for the tests' stand-ins (a flaky VIM, a vendor's download site):
/// every request goes to <c>answer</c>, and the response is closed afterwards whatever happened.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly CancellationTokenSource _stop = new();
    readonly Func<HttpListenerContext, Task> _answer;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> answer)
    {
        _answer = answer;
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
        try
        {
            await _answer(context);
        }
        catch (Exception)
        {
            // The client hung up (an importer at its size limit, an upload cut off); nothing left to answer.
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception)
            {
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageManager.Validation.Tests.Scanning;

/// <summary>
/// Sits on a loopback port in front of the real clamd and records the command each connection starts with (zSCAN or
/// zINSTREAM), so a test can tell how the bytes reached clamd. With <c>refuseFileScans</c> it answers zSCAN itself as a
/// clamd that cannot open the file does, and passes everything else through.
/// </summary>
public sealed class ClamdRecordingProxy : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly IPEndPoint _clamd;
    readonly bool _refuseFileScans;
    readonly CancellationTokenSource _stop = new();
    readonly Task _accepting;

    public ClamdRecordingProxy(string clamd, bool refuseFileScans = false)
    {
        var uri = new Uri(clamd);
        _clamd = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _refuseFileScans = refuseFileScans;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The first word of every connection's command, in the order they came.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient caller;
            try
            {
                caller = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(caller));
        }
    }

    async Task RelayAsync(TcpClient caller)
    {
        using (caller)
        {
            var fromCaller = caller.GetStream();
            var first = new byte[6];
            await fromCaller.ReadExactlyAsync(first, _stop.Token);
            var command = Encoding.ASCII.GetString(first);
            Commands.Enqueue(command.StartsWith("zSCAN ", StringComparison.Ordinal) ? "zSCAN" : command.StartsWith("zINSTR", StringComparison.Ordinal) ? "zINSTREAM" : command);
            if (_refuseFileScans && command.StartsWith("zSCAN ", StringComparison.Ordinal))
            {
                await fromCaller.WriteAsync("/blob: lstat() failed: Permission denied. ERROR\0"u8.ToArray(), _stop.Token);
                return;
            }

            using var clamd = new TcpClient();
            await clamd.ConnectAsync(_clamd, _stop.Token);
            var toClamd = clamd.GetStream();
            await toClamd.WriteAsync(first, _stop.Token);
            var up = fromCaller.CopyToAsync(toClamd, _stop.Token);
            await toClamd.CopyToAsync(fromCaller, _stop.Token); // clamd closes after its answer
            caller.Client.Shutdown(SocketShutdown.Send);
            await Task.WhenAny(up, Task.Delay(TimeSpan.FromSeconds(1)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

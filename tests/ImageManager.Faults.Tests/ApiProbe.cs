using System.Diagnostics;

namespace ImageManager.Faults.Tests;

/// <summary>
/// A client that keeps asking the Api (through its one address) while things break, every <see cref="Interval"/>, each
/// path in turn, and writes down every answer: status, or no answer at all. Outages are read from that record, as
/// someone outside would see them.
/// </summary>
public sealed class ApiProbe : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    readonly HttpClient _api;
    readonly IReadOnlyList<string> _paths;
    readonly CancellationTokenSource _stop = new();
    readonly List<ProbeAnswer> _answers = [];
    readonly Stopwatch _clock;
    readonly Task _loop;

    ApiProbe(HttpClient api, IReadOnlyList<string> paths, Stopwatch clock)
    {
        _api = api;
        _paths = paths;
        _clock = clock;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts asking <paramref name="paths"/> in turn; times are read from <paramref name="clock"/>.</summary>
    public static ApiProbe Start(HttpClient api, IReadOnlyList<string> paths, Stopwatch clock) => new(api, paths, clock);

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<ProbeAnswer> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>Stops asking; the record is complete afterwards.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    async Task LoopAsync()
    {
        // Bounded: at most an hour of asking, whatever the test does.
        for (var i = 0; i < 36_000 && !_stop.IsCancellationRequested; i++)
        {
            var path = _paths[i % _paths.Count];
            var sent = _clock.Elapsed;
            int? status;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await _api.GetAsync(path, timeout.Token);
                status = (int)response.StatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                status = null;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_answers)
            {
                _answers.Add(new ProbeAnswer(path, sent, _clock.Elapsed - sent, status));
            }

            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

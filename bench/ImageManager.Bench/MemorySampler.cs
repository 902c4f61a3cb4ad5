namespace ImageManager.Bench;

/// <summary>Samples a process's resident set size (VmRSS from /proc) every few milliseconds and keeps the peak.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    readonly int _processId;
    readonly CancellationTokenSource _stop = new();
    readonly Task _sampling;

    public MemorySampler(int processId)
    {
        _processId = processId;
        Baseline = Read();
        Peak = Baseline;
        _sampling = Task.Run(SampleAsync);
    }

    public long Baseline { get; }
    public long Peak { get; private set; }

    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    long Read() => ResidentBytes(_processId);

    async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Peak = Math.Max(Peak, Read());
            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    bool _stopped;

    /// <summary>Stops sampling; the peak is final afterwards. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        await _sampling;
        Peak = Math.Max(Peak, Read());
        _stop.Dispose();
    }
}

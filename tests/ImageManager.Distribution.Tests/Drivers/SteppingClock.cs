namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// A clock whose one-shot timers fire at once and move it forward by their wait: code that paces itself runs at full
/// speed, and <see cref="Waited"/> says how long it would have taken. Periodic timers never fire.
/// </summary>
public sealed class SteppingClock : TimeProvider
{
    long _ticks;

    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period == Timeout.InfiniteTimeSpan && dueTime >= TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _ticks, dueTime.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NeverTimer();
    }

    sealed class NeverTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

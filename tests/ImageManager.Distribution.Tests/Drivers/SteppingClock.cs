using Microsoft.Extensions.Time.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// A fake clock whose one-shot timers move it forward by their wait at once: code that paces itself runs at full speed,
/// and <see cref="Waited"/> says how long it would have taken. A plain <see cref="FakeTimeProvider"/> only moves when the
/// test advances it, but the pacing waits inside the one call the test makes, so the wait itself must advance the clock.
/// </summary>
public sealed class SteppingClock : FakeTimeProvider
{
    public TimeSpan Waited => GetUtcNow() - Start;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (period == Timeout.InfiniteTimeSpan && dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            // Not on this thread: the caller (Task.Delay) has not yet kept the timer it is creating.
            ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
        }

        return timer;
    }
}

using System.Collections.Concurrent;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Uploads;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImageManager.Distribution.Tests.Uploads;

/// <summary>The steps of an upload attempt are reported only when they last; the consumer reports the end after them.</summary>
public sealed class DeferredStepReportTests
{
    static readonly TimeSpan After = TimeSpan.FromSeconds(2);
    readonly FakeTimeProvider _clock = new();
    readonly ConcurrentQueue<(string State, long Bytes)> _reported = new();

    DeferredStepReport Steps() => new((state, bytes) =>
    {
        _reported.Enqueue((state, bytes));
        return Task.CompletedTask;
    }, After, _clock, NullLogger.Instance);

    [Fact]
    public async Task When_the_attempt_ends_before_a_step_has_lasted_nothing_of_it_is_reported()
    {
        await using var steps = Steps();
        await steps.BeginAsync(TargetStates.Uploading);
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        await steps.BeginAsync(TargetStates.Verifying, 4096);
        _clock.Advance(TimeSpan.FromMilliseconds(1900));

        await steps.StopAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(_reported);
    }

    [Fact]
    public async Task When_a_step_lasts_it_is_reported_once_with_its_bytes_and_the_next_step_in_its_turn()
    {
        await using var steps = Steps();
        await steps.BeginAsync(TargetStates.Uploading);
        _clock.Advance(After);
        await Eventually(() => _reported.Count == 1);
        await steps.BeginAsync(TargetStates.Verifying, 4096);
        _clock.Advance(After + After);

        await steps.StopAsync(); // waits for the report going out

        Assert.Equal([(TargetStates.Uploading, 0L), (TargetStates.Verifying, 4096L)], _reported.ToArray());
    }

    [Fact]
    public async Task When_a_report_fails_the_attempt_goes_on()
    {
        await using var steps = new DeferredStepReport((_, _) => throw new InvalidOperationException("the broker is away"), TimeSpan.Zero, _clock, NullLogger.Instance);
        await steps.BeginAsync(TargetStates.Uploading);

        await steps.StopAsync();
    }

    /// <summary>A report due goes out on the thread pool once the fake clock passed its time.</summary>
    static async Task Eventually(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(done());
    }
}

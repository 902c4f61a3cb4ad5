using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>A group of outcomes counts failures in a row as the outcomes one at a time would: a delivery sets the count to 0, a failure adds 1.</summary>
public sealed class FailureStreakTests
{
    [Theory]
    [InlineData("FFF", false, 3, 3, 0)]
    [InlineData("FFSF", true, 2, 1, 1)]
    [InlineData("SFFFSF", true, 0, 1, 3)]
    [InlineData("FSS", true, 1, 0, 0)]
    [InlineData("S", true, 0, 0, 0)]
    public void When_outcomes_are_recorded_together_the_failures_in_a_row_are_counted_in_their_order(string outcomes, bool reset, int beforeReset, int afterReset, int longest)
    {
        var streak = FailureStreak.Of(outcomes.Select((o, i) => o == 'S' ? new DeliveryOutcome(true, 200, null) : new DeliveryOutcome(false, 503, $"failure {i}")));

        Assert.Equal((reset, beforeReset, afterReset, longest), (streak.Reset, streak.Leading, streak.Trailing, streak.LongestAfterReset));
        Assert.Equal(outcomes.Contains('F'), streak.Failed);
        Assert.Equal(outcomes.Contains('F') ? $"failure {outcomes.LastIndexOf('F')}" : null, streak.LastError);
    }
}

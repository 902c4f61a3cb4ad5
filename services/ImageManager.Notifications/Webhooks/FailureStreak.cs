namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// What a group of one subscription's attempt outcomes (in the order they ended) does to its count of failures in a row,
/// so that the group is recorded in one statement with the same result as one outcome at a time: a delivered attempt sets
/// the count to 0, a failed one adds 1, and the subscription is suspended when the count reaches the limit at any point.
/// </summary>
/// <param name="Reset">Some attempt was delivered: the count starts again from 0 there.</param>
/// <param name="Leading">Failures before the first delivered attempt (all of them when none was): they add to the stored count.</param>
/// <param name="Trailing">Failures after the last delivered attempt (all of them when none was): the count afterwards, with the stored one when not <paramref name="Reset"/>.</param>
/// <param name="LongestAfterReset">The longest run of failures after a delivered attempt, which alone may reach the limit.</param>
/// <param name="LastError">The reason of the last failure, for a suspension.</param>
public sealed record FailureStreak(bool Reset, int Leading, int Trailing, int LongestAfterReset, string? LastError)
{
    public bool Failed => Leading > 0 || Trailing > 0 || LongestAfterReset > 0;

    public static FailureStreak Of(IEnumerable<DeliveryOutcome> outcomes)
    {
        var (reset, leading, run, longest) = (false, 0, 0, 0);
        string? lastError = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Delivered)
            {
                (reset, run) = (true, 0);
                continue;
            }

            lastError = outcome.Error;
            if (reset)
            {
                run++;
                longest = Math.Max(longest, run);
            }
            else
            {
                leading++;
            }
        }

        return new FailureStreak(reset, leading, reset ? run : leading, longest, lastError);
    }
}

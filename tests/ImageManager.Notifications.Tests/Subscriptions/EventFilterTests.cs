using ImageManager.Notifications.Subscriptions;

namespace ImageManager.Notifications.Tests.Subscriptions;

public sealed class EventFilterTests
{
    [Theory]
    [InlineData("org.onap.imagemanager.image.rejected", "org.onap.imagemanager.image.rejected", true)]
    [InlineData("org.onap.imagemanager.image.rejected", "org.onap.imagemanager.image.validated", false)]
    [InlineData("org.onap.imagemanager.distribution.*", "org.onap.imagemanager.distribution.target.changed", true)]
    [InlineData("org.onap.imagemanager.distribution.*", "org.onap.imagemanager.image.deleted", false)]
    [InlineData("org.onap.imagemanager.*", "org.onap.imagemanager.image.deleted", true)]
    [InlineData("org.onap.imagemanager.image.trust.*", "org.onap.imagemanager.image.trust.withdrawn", true)]
    public void When_a_pattern_is_an_exact_type_or_a_prefix_it_matches_the_types_it_names_only(string pattern, string type, bool matches) =>
        Assert.Equal(matches, EventFilter.Matches([pattern], type));

    [Fact]
    public void When_there_are_no_patterns_every_type_matches() =>
        Assert.All(EventFilter.KnownTypes, type => Assert.True(EventFilter.Matches([], type)));

    [Theory]
    [InlineData("org.onap.imagemanager.image.exploded", "matches no notification type")]
    [InlineData("com.example.*", "matches no notification type")]
    [InlineData("org.*.image.deleted", "not an event pattern")]
    [InlineData(" ", "not an event pattern")]
    public void When_a_pattern_is_wrong_the_problem_says_why(string pattern, string reason) =>
        Assert.Contains(reason, EventFilter.ProblemWith([pattern]));

    [Fact]
    public void When_there_are_too_many_patterns_they_are_refused() =>
        Assert.Contains("at most", EventFilter.ProblemWith(Enumerable.Repeat("org.onap.imagemanager.*", EventFilter.MaxPatterns + 1).ToArray()));

    [Theory]
    [InlineData("org.onap.imagemanager.image.trust.withdrawn")]
    [InlineData("org.onap.imagemanager.image.end-of-life.reached")]
    public void When_a_subscription_asks_for_withdrawn_trust_or_reached_end_of_life_it_is_accepted(string type) =>
        Assert.Null(EventFilter.ProblemWith([type]));

    [Fact]
    public void When_every_documented_type_and_prefix_is_given_all_are_accepted() =>
        Assert.Null(EventFilter.ProblemWith([.. EventFilter.KnownTypes, "org.onap.imagemanager.image.*", "org.onap.imagemanager.distribution.*"]));

    [Fact]
    public void When_a_subscription_asks_for_recall_completions_it_is_accepted_and_matches_them() =>
        Assert.Equal((null, true), (EventFilter.ProblemWith(["org.onap.imagemanager.recall.completed"]),
            EventFilter.Matches(["org.onap.imagemanager.recall.*"], "org.onap.imagemanager.recall.completed")));
}

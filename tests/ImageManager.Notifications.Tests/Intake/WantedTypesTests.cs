using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Subscriptions;

namespace ImageManager.Notifications.Tests.Intake;

public sealed class WantedTypesTests
{
    [Fact]
    public void When_subscriptions_name_types_and_prefixes_only_the_known_types_they_match_are_wanted()
    {
        var wanted = WantedTypes.Of([
            ["org.onap.imagemanager.distribution.completed"],
            ["org.onap.imagemanager.image.re*", "org.onap.imagemanager.distribution.completed"],
        ]);

        Assert.False(wanted.EveryType);
        Assert.Equal(
            ["org.onap.imagemanager.image.rejected", "org.onap.imagemanager.image.reactivated", "org.onap.imagemanager.distribution.completed"],
            wanted.Types);
    }

    [Fact]
    public void When_a_subscription_has_no_patterns_every_type_is_wanted()
    {
        var wanted = WantedTypes.Of([["org.onap.imagemanager.image.deleted"], []]);

        Assert.True(wanted.EveryType);
        Assert.Equal(["org.onap.imagemanager.image.deleted"], wanted.Types);
    }

    [Fact]
    public void When_there_is_no_subscription_nothing_is_wanted()
    {
        var wanted = WantedTypes.Of([]);

        Assert.Equal((false, 0), (wanted.EveryType, wanted.Types.Count));
        Assert.NotEmpty(EventFilter.KnownTypes);
    }
}

using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Tests.Webhooks;

public sealed class RetryDelayTests
{
    static readonly WebhookOptions Options = new() { FirstRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromMinutes(1) };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(50, 60)]
    public void When_a_delivery_fails_again_the_wait_doubles_up_to_the_most(int failedAttempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryDelay.After(failedAttempts, Options));
}

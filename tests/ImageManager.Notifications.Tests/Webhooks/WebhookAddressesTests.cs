using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Tests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("ftp://hooks.example/x", "http or https")]
    [InlineData("hooks.example/x", "http or https")]
    [InlineData("https://user:pw@hooks.example/x", "user name or password")]
    [InlineData("https://hooks.example/x#part", "fragment")]
    [InlineData("http://10.0.0.7/x", "loopback or private")]
    [InlineData("http://[::1]:8080/x", "loopback or private")]
    [InlineData("http://2130706433/x", "loopback or private")]
    [InlineData("http://0x0a000001/x", "loopback or private")]
    public void When_a_url_cannot_be_a_subscriber_the_problem_says_why(string url, string reason) =>
        Assert.Contains(reason, WebhookAddresses.ProblemWith(url, allowPrivate: false));

    [Fact]
    public void When_private_addresses_are_allowed_a_loopback_url_is_accepted() =>
        Assert.Null(WebhookAddresses.ProblemWith("http://127.0.0.1:8080/hook", allowPrivate: true));

    [Fact]
    public void When_a_url_is_public_https_it_is_accepted() =>
        Assert.Null(WebhookAddresses.ProblemWith("https://hooks.example/imagemanager?team=noc", allowPrivate: false));
}

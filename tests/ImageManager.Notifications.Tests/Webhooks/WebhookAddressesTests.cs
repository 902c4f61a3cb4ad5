using System.Net;
using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Tests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // a cloud's metadata service
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void When_an_address_is_loopback_private_or_link_local_it_counts_as_private(string address) =>
        Assert.True(WebhookAddresses.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:db8::1")]
    public void When_an_address_is_public_it_counts_as_public(string address) =>
        Assert.False(WebhookAddresses.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("ftp://hooks.example/x", "http or https")]
    [InlineData("hooks.example/x", "http or https")]
    [InlineData("https://user:pw@hooks.example/x", "user name or password")]
    [InlineData("https://hooks.example/x#part", "fragment")]
    [InlineData("http://10.0.0.7/x", "loopback or private")]
    [InlineData("http://[::1]:8080/x", "loopback or private")]
    public void When_a_url_cannot_be_a_subscriber_the_problem_says_why(string url, string reason) =>
        Assert.Contains(reason, WebhookAddresses.ProblemWith(url, allowPrivate: false));

    [Fact]
    public void When_private_addresses_are_allowed_a_loopback_url_is_accepted() =>
        Assert.Null(WebhookAddresses.ProblemWith("http://127.0.0.1:8080/hook", allowPrivate: true));

    [Fact]
    public void When_a_url_is_public_https_it_is_accepted() =>
        Assert.Null(WebhookAddresses.ProblemWith("https://hooks.example/imagemanager?team=noc", allowPrivate: false));
}

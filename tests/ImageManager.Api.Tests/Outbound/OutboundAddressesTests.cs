using System.Net;
using System.Net.Sockets;
using ImageManager.ServiceDefaults.Outbound;

namespace ImageManager.Api.Tests.Outbound;

/// <summary>The installation's rule for outbound calls (webhooks, VIMs), on addresses and on real connections to a listener on loopback.</summary>
public sealed class OutboundAddressesTests : IDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public OutboundAddressesTests() => _listener.Start();

    int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // a cloud's metadata service
    [InlineData("100.100.100.200")] // another cloud's
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    public void When_an_address_is_loopback_private_link_local_or_metadata_it_counts_as_private(string address) =>
        Assert.True(OutboundAddresses.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("64:ff9b::808:808")]
    public void When_an_address_is_public_it_counts_as_public(string address) =>
        Assert.False(OutboundAddresses.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://2130706433/", "127.0.0.1")]
    [InlineData("http://0x7f000001/", "127.0.0.1")]
    [InlineData("http://0177.0.0.1/", "127.0.0.1")]
    [InlineData("http://127.1/", "127.0.0.1")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/", "127.0.0.1")]
    [InlineData("http://[fd00:ec2::254]/", "fd00:ec2::254")]
    public void When_a_url_names_an_address_in_another_form_it_is_read_as_that_address(string url, string address)
    {
        var literal = OutboundAddresses.LiteralOf(new Uri(url));

        Assert.NotNull(literal);
        Assert.True(OutboundAddresses.IsPrivate(literal));
        Assert.Equal(IPAddress.Parse(address).MapToIPv6(), literal.MapToIPv6());
    }

    [Fact]
    public void When_a_url_names_a_host_it_has_no_literal_address() =>
        Assert.Null(OutboundAddresses.LiteralOf(new Uri("https://glance.example.net:9292/")));

    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0x7f000001:{0}/")]
    [InlineData("http://localhost:{0}/")]
    public async Task When_private_addresses_are_not_allowed_a_connection_to_loopback_is_refused_in_any_form(string url)
    {
        using var http = Client(allowPrivate: false);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Port)));

        var cause = Assert.IsType<RefusedAddressException>(refused.InnerException ?? refused);
        Assert.Contains("loopback or private", cause.Message, StringComparison.Ordinal);
        Assert.Contains("Test:AllowPrivate", cause.Message, StringComparison.Ordinal);
        Assert.Equal(0, await PendingConnectionsAsync());
    }

    [Fact]
    public async Task When_private_addresses_are_allowed_the_connection_is_made()
    {
        using var http = Client(allowPrivate: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var request = http.GetAsync($"http://2130706433:{Port}/", timeout.Token);
        using var accepted = await _listener.AcceptTcpClientAsync(timeout.Token);
        accepted.Close(); // no answer: the connection was made, which is what is tested

        Assert.True(accepted is not null);
        await Assert.ThrowsAnyAsync<Exception>(() => request);
    }

    static HttpClient Client(bool allowPrivate) => new(new SocketsHttpHandler
    {
        ConnectCallback = (context, cancellationToken) => OutboundAddresses.ConnectAsync(context, allowPrivate, "tests", "Test:AllowPrivate", cancellationToken),
    });

    /// <summary>Connections waiting on the listener: none means nothing reached it.</summary>
    async Task<int> PendingConnectionsAsync()
    {
        await Task.Delay(50);
        return _listener.Pending() ? 1 : 0;
    }
}

using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Tests.Budgets;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>
/// Where VIM connections may go (<see cref="DistributionOptions.AllowPrivateVimAddresses"/>), checked where the connection
/// is made: a VIM on loopback, however its address is written, is not reached unless private addresses are allowed;
/// and a registration that names such an address outright is refused naming the field.
/// </summary>
public sealed class VimAddressPolicyTests : IAsyncLifetime
{
    readonly GlanceDriver _driver = new(new KeystoneTokenCache(TimeProvider.System));
    VimSimulator.VimSimulator _vims = null!;

    public async Task InitializeAsync() => _vims = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _vims.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f000001")]
    [InlineData("127.1")]
    [InlineData("localhost")]
    public async Task When_private_vim_addresses_are_not_allowed_a_vim_on_loopback_is_not_reached_in_any_address_form(string host)
    {
        using var connector = Connector(allowPrivate: false);
        var before = _vims.Requests;

        var refused = await Assert.ThrowsAsync<VimRejectedException>(() => _driver.ProbeAsync(connector.Connect(VimAt(host, "policy_refused")), CancellationToken.None));

        Assert.Equal(VimHealthReasons.AddressRefused, refused.HealthReason);
        Assert.Contains("loopback or private", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Distribution:AllowPrivateVimAddresses", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, _vims.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("2130706433")]
    [InlineData("localhost")]
    public async Task When_private_vim_addresses_are_allowed_a_vim_on_loopback_answers(string host)
    {
        using var connector = Connector(allowPrivate: true);
        var before = _vims.Requests;

        await _driver.ProbeAsync(connector.Connect(VimAt(host, "policy_allowed")), CancellationToken.None);

        Assert.True(_vims.Requests > before);
    }

    [Fact]
    public async Task When_a_private_network_is_named_as_allowed_a_vim_in_it_answers_while_other_private_addresses_stay_refused()
    {
        using var connector = new VimConnector(
            new VimCredentialProtector(new EphemeralDataProtectionProvider()),
            Options.Create(new DistributionOptions { AllowedPrivateVimNetworks = ["127.0.0.0/8"] }),
            TimeProvider.System,
            UnsharedBudgets.Create());

        await _driver.ProbeAsync(connector.Connect(VimAt("2130706433", "policy_network")), CancellationToken.None);
        var outside = VimRequestValidator.Validate(Registration("http://10.0.0.5:9292/", null), allowedPrivateNetworks: [System.Net.IPNetwork.Parse("127.0.0.0/8")]);
        var inside = VimRequestValidator.Validate(Registration("http://127.0.0.5:9292/", null), allowedPrivateNetworks: [System.Net.IPNetwork.Parse("127.0.0.0/8")]);

        Assert.Contains("loopback or private", Assert.Single(outside["endpoint"]), StringComparison.Ordinal);
        Assert.Empty(inside);
    }

    [Theory]
    [InlineData("endpoint", "http://2130706433:9292/", null)]
    [InlineData("endpoint", "http://0x7f000001/", null)]
    [InlineData("endpoint", "http://10.0.0.5:9292/", null)]
    [InlineData("endpoint", "http://[::1]:9292/", null)]
    [InlineData("identityUrl", "https://glance.example.net/", "http://169.254.169.254/v3")]
    public void When_private_addresses_are_not_allowed_a_registration_naming_one_is_refused_naming_the_field(string field, string endpoint, string? identityUrl)
    {
        var request = Registration(endpoint, identityUrl);

        var refused = VimRequestValidator.Validate(request, allowPrivateAddresses: false);
        var allowed = VimRequestValidator.Validate(request, allowPrivateAddresses: true);

        Assert.Contains("loopback or private", Assert.Single(refused[field]), StringComparison.Ordinal);
        Assert.Empty(allowed);
    }

    [Fact]
    public void When_a_registration_names_a_public_address_or_a_host_name_the_address_rule_has_nothing_to_say() =>
        Assert.Empty(VimRequestValidator.Validate(Registration("https://glance.example.net:9292/", null), allowPrivateAddresses: false));

    static RegisterVimRequest Registration(string endpoint, string? identityUrl) => new()
    {
        Id = "policy_registration",
        Type = "openstack",
        Endpoint = endpoint,
        IdentityUrl = identityUrl,
        Credentials = identityUrl is null ? null : new VimCredentials { Username = "u", Password = "p", ProjectName = "p" },
    };

    Vim VimAt(string host, string id) =>
        new() { Id = id, Type = "openstack", Endpoint = new UriBuilder(_vims.EndpointOf(id)) { Host = host }.Uri };

    static VimConnector Connector(bool allowPrivate) => new(
        new VimCredentialProtector(new EphemeralDataProtectionProvider()),
        Options.Create(new DistributionOptions { AllowPrivateVimAddresses = allowPrivate }),
        TimeProvider.System,
        UnsharedBudgets.Create());
}

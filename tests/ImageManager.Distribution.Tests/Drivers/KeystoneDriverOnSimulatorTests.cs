using ImageManager.Distribution.Drivers;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The Keystone contract against the simulator's Keystone v3 and a simulated Glance that requires its tokens, and what
/// only the simulator can show: the catalog's choice between regions, and a failing Keystone.
/// </summary>
public sealed class KeystoneDriverOnSimulatorTests : KeystoneDriverContract
{
    const string ProtectedVim = "sim_keystone_glance";
    VimSimulator.VimSimulator _simulator = null!;

    protected override Uri IdentityUrl => _simulator.Keystone.IdentityUrl;

    protected override string Region => "RegionOne";

    protected override Uri ProtectedGlance => _simulator.EndpointOf(ProtectedVim);

    public override async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _simulator.RequireKeystone(ProtectedVim);
        _simulator.Keystone.AddImageEndpoint(Region, ProtectedGlance);
    }

    protected override Task<KeystoneAccount> CreateAccountAsync()
    {
        var name = $"simtest-{Guid.NewGuid():N}"[..20];
        var password = Guid.NewGuid().ToString("N");
        _simulator.Keystone.AddUser(name, password, project: name);
        var (id, secret) = _simulator.Keystone.AddApplicationCredential(name);
        return Task.FromResult(new KeystoneAccount(name, password, name, id, secret));
    }

    [Fact]
    public async Task When_the_catalog_has_several_regions_glance_is_taken_from_the_entry_of_the_vims_region()
    {
        _simulator.RequireKeystone("sim_region_two");
        _simulator.Keystone.AddImageEndpoint("RegionTwo", _simulator.EndpointOf("sim_region_two"));
        var credentials = Password(await CreateAccountAsync());
        var image = DriverTestImage.Random(2_000);

        await UploadAsync(Connect(credentials, region: "RegionTwo"), image);
        await UploadAsync(Connect(credentials, region: Region), DriverTestImage.Random(3_000));

        Assert.Equal([image.Image.Sha512], _simulator.ImagesOf("sim_region_two").Select(i => i.Sha512));
        Assert.Single(_simulator.ImagesOf(ProtectedVim));
    }

    [Fact]
    public async Task When_keystone_fails_with_a_server_error_the_login_is_transient_and_says_what_keystone_said()
    {
        _simulator.Configure(SimulatedKeystone.PathPrefix, new SimulatedVimBehaviour { FailWith = Fault.Status(503) });
        var vim = Connect(Password(await CreateAccountAsync()));

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.ProbeAsync(vim, CancellationToken.None));

        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _simulator.DisposeAsync();
    }
}

using ImageManager.Distribution.Drivers;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The driver contract against virtual registries of the simulator; then what only the simulator can show: its own
/// counts of what arrived, and faults coming out as errors the distribution retries.
/// </summary>
public sealed class OciRegistryDriverOnSimulatorTests : OciRegistryDriverContract, IAsyncLifetime
{
    const string User = "robot";
    const string Password = "sim-secret-Xy7";

    VimSimulator.VimSimulator _simulator = null!;

    protected override Uri Registry => _simulator.RegistryEndpointOf("sim_registry");

    protected override (Uri Endpoint, string Username, string Password) BasicAuthRegistry => (_simulator.RegistryEndpointOf("sim_basic"), User, Password);

    protected override (Uri Endpoint, string Username, string Password, Func<long> TokensIssued) BearerRegistry =>
        (_simulator.RegistryEndpointOf("sim_bearer"), User, Password, () => _simulator.RegistryOf("sim_bearer").TokensIssued);

    public async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _simulator.Configure("sim_basic", new SimulatedVimBehaviour { RegistryAuth = new SimulatedRegistryAuth { Mode = SimulatedRegistryAuthMode.Basic, Username = User, Password = Password } });
        _simulator.Configure("sim_bearer", new SimulatedVimBehaviour { RegistryAuth = new SimulatedRegistryAuth { Mode = SimulatedRegistryAuthMode.Bearer, Username = User, Password = Password } });
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_an_image_is_pushed_twice_the_simulated_registry_counts_each_blob_upload_once()
    {
        var image = TestContainerImage.OciLayout([TestContainerImage.Layer(9_000), TestContainerImage.Layer(4_000, "etc/x")]);
        var upload = Upload(_simulator.RegistryEndpointOf("sim_counted"), image, "counted", "1");

        await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal(3, _simulator.RegistryOf("sim_counted").BlobUploads); // two layers and the config, once
    }

    [Fact]
    public async Task When_a_registry_answers_500_every_time_the_error_is_transient_and_quotes_it()
    {
        _simulator.Configure("sim_broken", new SimulatedVimBehaviour { FailWith = Fault.Status(500) });

        var error = await Assert.ThrowsAsync<VimTransientException>(() =>
            Driver.EnsurePresentAsync(Upload(_simulator.RegistryEndpointOf("sim_broken"), TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "broken", "1"), CancellationToken.None));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_registry_resets_the_connection_the_error_is_transient()
    {
        _simulator.Configure("sim_reset", new SimulatedVimBehaviour { FailWith = Fault.ResetConnection });

        await Assert.ThrowsAsync<VimTransientException>(() =>
            Driver.EnsurePresentAsync(Upload(_simulator.RegistryEndpointOf("sim_reset"), TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "reset", "1"), CancellationToken.None));
    }

    [Fact]
    public async Task When_a_registry_never_answers_the_callers_deadline_ends_the_attempt()
    {
        _simulator.Configure("sim_silent", new SimulatedVimBehaviour { FailWith = Fault.Hang });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Driver.EnsurePresentAsync(Upload(_simulator.RegistryEndpointOf("sim_silent"), TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "silent", "1"), deadline.Token));
    }
}

using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Vims;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The driver contract against virtual registries of the simulator; then what only the simulator can show: the
/// bearer-token flow (a token per scope from the registry's token service, cached, and refused credentials named without
/// the secret), a ready token used as given, and faults coming out as errors the distribution retries.
/// </summary>
public sealed class OciRegistryDriverOnSimulatorTests : OciRegistryDriverContract, IAsyncLifetime
{
    const string User = "robot";
    const string Password = "sim-secret-Xy7";

    VimSimulator.VimSimulator _simulator = null!;

    protected override Uri Registry => _simulator.RegistryEndpointOf("sim_registry");

    protected override (Uri Endpoint, string Username, string Password) BasicAuthRegistry => (_simulator.RegistryEndpointOf("sim_basic"), User, Password);

    public async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _simulator.Configure("sim_basic", new SimulatedVimBehaviour { RegistryAuth = new SimulatedRegistryAuth { Mode = SimulatedRegistryAuthMode.Basic, Username = User, Password = Password } });
        _simulator.Configure("sim_bearer", new SimulatedVimBehaviour { RegistryAuth = new SimulatedRegistryAuth { Mode = SimulatedRegistryAuthMode.Bearer, Username = User, Password = Password } });
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task Should_get_a_bearer_token_per_scope_from_the_realm_and_reuse_it_while_it_lasts()
    {
        var image = TestContainerImage.DockerSave(TestContainerImage.Layer(300_000), TestContainerImage.Layer(2_000, "etc/vnf.conf"));
        var upload = Upload(_simulator.RegistryEndpointOf("sim_bearer"), image, "bearer", "1", new VimCredentials { Username = User, Password = Password });

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        var again = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var registry = _simulator.RegistryOf("sim_bearer");
        Assert.Equal(OciNames(result), registry.Manifest(RepositoryOf(upload), "1")!.Digest);
        Assert.True(again.AlreadyPresent);
        Assert.Equal(2, registry.TokensIssued); // pull, then pull+push; every later request reuses one of the two
        Assert.Equal(3, registry.BlobUploads); // the config and two layers
        Assert.True(registry.Chunks >= 3);
    }

    [Fact]
    public async Task When_the_token_service_refuses_the_password_the_error_names_401_and_never_the_password()
    {
        const string wrong = "wrong-Pq4-secret";
        var upload = Upload(_simulator.RegistryEndpointOf("sim_bearer"), TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "bearer-wrong", "1",
            new VimCredentials { Username = User, Password = wrong });

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("token service", error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_vim_has_a_ready_token_it_is_sent_as_given_and_none_is_fetched()
    {
        var upload = Upload(_simulator.RegistryEndpointOf("sim_bearer"), TestContainerImage.OciLayout([TestContainerImage.Layer(100)]), "given-token", "1",
            new VimCredentials { Token = "not-a-token-the-service-issued" });

        var error = await Assert.ThrowsAsync<VimRejectedException>(() => Driver.EnsurePresentAsync(upload, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-token-the-service-issued", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _simulator.RegistryOf("sim_bearer").TokensIssued);
    }

    [Fact]
    public async Task Should_count_each_blob_upload_so_a_second_push_sends_no_blob()
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

    static string OciNames(VimUploadResult result) => Distribution.Drivers.Oci.OciNames.ParseImageId(result.VimImageId)!.Value.Digest;
}

using System.Security.Cryptography;
using ImageManager.Distribution.Drivers;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The driver contract against two virtual VIMs of the simulator, and the simulator's faults as the driver sees them:
/// each must come out as an error the distribution retries (transient), with what happened in its text.
/// </summary>
public sealed class GlanceDriverOnSimulatorTests : GlanceDriverContract, IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    protected override Uri First => _simulator.EndpointOf("sim_first");

    protected override Uri Second => _simulator.EndpointOf("sim_second");

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task When_a_vim_answers_500_every_time_the_error_is_transient_and_quotes_it()
    {
        _simulator.Configure("sim_broken", new SimulatedVimBehaviour { FailWith = Fault.Status(500) });

        var error = await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(Upload(_simulator.EndpointOf("sim_broken"), [1, 2, 3], "x"), CancellationToken.None));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vim_resets_the_connection_the_error_is_transient()
    {
        _simulator.Configure("sim_reset", new SimulatedVimBehaviour { FailWith = Fault.ResetConnection });

        await Assert.ThrowsAsync<VimTransientException>(() => Driver.EnsurePresentAsync(Upload(_simulator.EndpointOf("sim_reset"), [1, 2, 3], "x"), CancellationToken.None));
    }

    [Fact]
    public async Task When_a_vim_never_answers_the_callers_deadline_ends_the_attempt()
    {
        _simulator.Configure("sim_silent", new SimulatedVimBehaviour { FailWith = Fault.Hang });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Driver.EnsurePresentAsync(Upload(_simulator.EndpointOf("sim_silent"), [1], "x"), deadline.Token));
    }

    [Fact]
    public async Task When_an_image_is_ensured_present_twice_the_simulated_vim_counts_one_upload()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var upload = Upload(_simulator.EndpointOf("sim_counted"), bytes, Convert.ToHexStringLower(SHA512.HashData(bytes)));

        await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        Assert.Equal(1, _simulator.UploadsTo("sim_counted"));
        Assert.Equal(("active", Convert.ToHexStringLower(SHA512.HashData(bytes))), (_simulator.ImagesOf("sim_counted").Single().Status, _simulator.ImagesOf("sim_counted").Single().Sha512));
    }
}

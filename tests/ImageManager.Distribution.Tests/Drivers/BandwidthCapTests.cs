using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Tests.Budgets;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// A VIM's bandwidth cap as its connection applies it, through the budgets (<see cref="BudgetHandler"/>). No time is
/// asserted (speed is the bench's): what is checked is that a capped write goes in slices no larger than a tenth of a
/// second at the cap allows, and which transfers the budgets count.
/// </summary>
public sealed class BandwidthCapTests : IAsyncLifetime
{
    readonly TransferBudgets _budgets = UnsharedBudgets.Create();
    VimSimulator.VimSimulator _simulator = null!;
    VimConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _simulator = await VimSimulator.VimSimulator.StartAsync();
        _connector = new VimConnector(new VimCredentialProtector(new EphemeralDataProtectionProvider()), Options.Create(new DistributionOptions { AllowPrivateVimAddresses = true }), TimeProvider.System, _budgets);
    }

    public async Task DisposeAsync()
    {
        _connector.Dispose();
        _budgets.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task When_a_write_is_capped_it_arrives_whole_in_slices_no_larger_than_a_tenth_of_a_second_at_the_cap()
    {
        var target = new SliceRecordingStream();
        var bytes = new byte[64 * 1024];
        Random.Shared.NextBytes(bytes);
        using var ticket = _budgets.Begin("cap_write", 32 * 1024);

        await new BudgetedWriteStream(target, ticket).WriteAsync(bytes);

        Assert.Equal(bytes, target.ToArray());
        Assert.All(target.Slices, slice => Assert.InRange(slice, 1, (32 * 1024 / 10) + 1)); // a bucket holds a tenth of a second
        Assert.True(target.Slices.Count >= 20, $"64 KiB went in {target.Slices.Count} slices");
    }

    /// <summary>A memory stream that keeps the size of every write it was given.</summary>
    sealed class SliceRecordingStream : MemoryStream
    {
        public List<int> Slices { get; } = [];

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Slices.Add(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Slices.Add(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    [Fact]
    public async Task When_a_vim_has_a_bandwidth_cap_what_its_connection_sends_is_paced_and_other_vims_are_left_alone()
    {
        var image = DriverTestImage.Random(32 * 1024);
        var driver = new GlanceDriver(new KeystoneTokenCache(TimeProvider.System));

        await driver.EnsurePresentAsync(Upload(new Vim { Id = "cap_free", Type = "openstack", Endpoint = _simulator.EndpointOf("cap_free") }, image), CancellationToken.None);
        var countedUncapped = _budgets.Shares.NewVim.CurrentCount;
        await driver.EnsurePresentAsync(Upload(new Vim { Id = "cap_slow", Type = "openstack", Endpoint = _simulator.EndpointOf("cap_slow"), BandwidthLimitBytesPerSecond = 64 * 1024 }, image), CancellationToken.None);

        Assert.Equal(0, countedUncapped); // no budget bounds it: neither counted nor paced
        Assert.True(_budgets.Shares.NewVim.CurrentCount > 0, "the capped VIM's transfer was counted");
        Assert.Equal(image.Image.Sha512, Assert.Single(_simulator.ImagesOf("cap_slow")).Sha512);
    }

    VimUpload Upload(Vim vim, DriverTestImage image) =>
        new(_connector.Connect(vim), image.Image, Guid.NewGuid().ToString(), image.Open, () => Task.CompletedTask, new RecordingCopyClaims());
}

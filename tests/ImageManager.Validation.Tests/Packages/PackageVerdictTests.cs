using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>The package check inside the Validation consumer, on the in-memory harness, with real packages.</summary>
public sealed class PackageVerdictTests(PackageCorpus corpus) : IClassFixture<PackageCorpus>, IAsyncLifetime
{
    readonly ValidationHarness _validation = new();

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync() => await _validation.DisposeAsync();

    [Theory]
    [InlineData(PackageCorpus.HelmChart, "helm-chart")]
    [InlineData(PackageCorpus.Deb, "deb")]
    [InlineData(PackageCorpus.XzRpm, "rpm")]
    [InlineData(PackageCorpus.TarZst, "tar.zst")]
    [InlineData(PackageCorpus.Binary, "binary")]
    public async Task When_a_package_is_sound_it_is_validated_with_the_type_its_bytes_are(string package, string type)
    {
        var upload = await _validation.StorePackageAsync(corpus.PathOf(package));

        await _validation.Harness.Bus.Publish(upload);

        var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
        Assert.Equal("software-package", validated.Kind);
        Assert.Equal(type, validated.DetectedType);
        Assert.Null(validated.VirtualSizeBytes);
    }

    [Fact]
    public async Task When_a_package_holds_an_entry_that_escapes_it_is_rejected_naming_the_entry()
    {
        var upload = await _validation.StorePackageAsync(corpus.PathOf(PackageCorpus.DotDotTarGz));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Equal("The software package (tar.gz) was refused: entry '../evil.sh' has a '..' path segment.", rejected.Reason);
    }

    [Fact]
    public async Task When_an_rpm_payload_holds_an_entry_that_escapes_it_is_rejected_naming_the_entry()
    {
        var upload = await _validation.StorePackageAsync(corpus.PathOf(PackageCorpus.DotDotRpm));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Equal("The software package (rpm) was refused: in its payload, entry './usr/../../etc/cron.d/evil' has a '..' path segment.", rejected.Reason);
    }

    [Fact]
    public async Task When_the_checksum_and_the_package_both_fail_the_checksum_reason_wins()
    {
        var upload = await _validation.StorePackageAsync(corpus.PathOf(PackageCorpus.DotDotTarGz), declaredSha256: new string('a', 64));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.StartsWith("Declared sha256 does not match", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.sh", rejected.Reason, StringComparison.Ordinal);
    }
}

using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Tests.Containers;

/// <summary>The container image check inside the Validation consumer, on the in-memory harness, with real archives.</summary>
public sealed class ContainerImageVerdictTests(ContainerCorpus corpus) : IClassFixture<ContainerCorpus>, IAsyncLifetime
{
    readonly ValidationHarness _validation = new();

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync() => await _validation.DisposeAsync();

    [Theory]
    [InlineData(ContainerCorpus.OciLayout, "oci", "oci-layout")]
    [InlineData(ContainerCorpus.DockerSave, "docker", "docker-save")]
    public async Task When_a_container_image_is_whole_it_is_validated_with_its_layout(string archive, string containerFormat, string layout)
    {
        var upload = await _validation.StoreContainerImageAsync(corpus.PathOf(archive), containerFormat);

        await _validation.Harness.Bus.Publish(upload);

        var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
        Assert.Equal("container-image", validated.Kind);
        Assert.Equal(containerFormat, validated.ContainerFormat);
        Assert.Equal(layout, validated.DetectedType);
    }

    [Fact]
    public async Task When_a_layer_was_changed_the_image_is_rejected_naming_the_layer()
    {
        var upload = await _validation.StoreContainerImageAsync(corpus.PathOf(ContainerCorpus.TamperedLayerDockerSave), "docker");

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        var layer = ContainerCorpus.LegacyLayerPath(corpus.LegacyLayerIds[1]);
        Assert.StartsWith($"The container image was refused: layer '{layer}' has digest sha256:", rejected.Reason, StringComparison.Ordinal);
        Assert.EndsWith($", the config's rootfs.diff_ids[1] says '{corpus.DiffIds[1]}'.", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_declared_format_is_not_the_archive_s_the_image_is_rejected()
    {
        var upload = await _validation.StoreContainerImageAsync(corpus.PathOf(ContainerCorpus.OciLayout), "docker");

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Equal(
            "The container image was refused: containerFormat docker was declared, but the archive is an OCI image layout without docker save's manifest.json; declare oci.",
            rejected.Reason);
    }
}

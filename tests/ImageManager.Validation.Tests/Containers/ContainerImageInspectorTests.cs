using ImageManager.Validation.Archives;
using ImageManager.Validation.Containers;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Containers;

public sealed class ContainerImageInspectorTests(ContainerCorpus corpus) : IClassFixture<ContainerCorpus>
{
    [Fact]
    public async Task When_a_docker_save_archive_is_whole_it_is_accepted_with_its_image_id_and_layers()
    {
        var inspection = await Inspect(ContainerCorpus.DockerSave, "docker");

        Assert.Empty(inspection.Problems);
        Assert.Equal("docker-save", inspection.Layout);
        Assert.Equal([corpus.DockerSaveConfigDigest], inspection.ManifestDigests);
        Assert.Equal(corpus.DiffIds, inspection.LayerDigests); // the third layer, linked to the first, is the first
    }

    [Theory]
    [InlineData(ContainerCorpus.OciLayout)]
    [InlineData(ContainerCorpus.OciLayoutGz)]
    public async Task When_an_oci_layout_is_whole_it_is_accepted_with_its_manifest_and_layer_digests(string archive)
    {
        var inspection = await Inspect(archive, "oci");

        Assert.Empty(inspection.Problems);
        Assert.Equal("oci-layout", inspection.Layout);
        Assert.Equal([corpus.OciManifestDigest], inspection.ManifestDigests);
        Assert.Equal(corpus.GzipLayerDigests, inspection.LayerDigests);
    }

    [Fact]
    public async Task When_an_oci_layout_holds_a_multi_platform_index_every_platform_is_followed()
    {
        var inspection = await Inspect(ContainerCorpus.MultiPlatformOciLayout, "oci");

        Assert.Empty(inspection.Problems);
        Assert.Equal([corpus.MultiPlatformIndexDigest], inspection.ManifestDigests);
        Assert.Equal(corpus.GzipLayerDigests, inspection.LayerDigests);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("oci")]
    public async Task When_docker_25_saves_both_layouts_either_format_may_be_declared(string declared)
    {
        var inspection = await Inspect(ContainerCorpus.DockerSaveWithOciLayout, declared);

        Assert.Empty(inspection.Problems);
        Assert.Equal("docker-save+oci-layout", inspection.Layout);
        Assert.Equal([corpus.DockerSaveWithOciLayoutManifestDigest], inspection.ManifestDigests);
        Assert.Equal(corpus.DiffIds, inspection.LayerDigests); // uncompressed layers: their digests are the diff_ids
    }

    [Fact]
    public async Task When_a_docker_save_layer_was_changed_its_digest_and_the_diff_id_are_in_the_reason()
    {
        var inspection = await Inspect(ContainerCorpus.TamperedLayerDockerSave, "docker");

        var layer = ContainerCorpus.LegacyLayerPath(corpus.LegacyLayerIds[1]);
        var problem = Assert.Single(inspection.Problems);
        Assert.StartsWith($"layer '{layer}' has digest sha256:", problem, StringComparison.Ordinal);
        Assert.EndsWith($", the config's rootfs.diff_ids[1] says '{corpus.DiffIds[1]}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_docker_save_layer_is_missing_the_reason_names_it()
    {
        var inspection = await Inspect(ContainerCorpus.MissingLayerDockerSave, "docker");

        var layer = ContainerCorpus.LegacyLayerPath(corpus.LegacyLayerIds[1]);
        Assert.Equal([$"manifest.json names layer '{layer}' that is not in the archive"], inspection.Problems);
    }

    [Fact]
    public async Task When_a_docker_save_config_is_missing_the_reason_names_it()
    {
        var inspection = await Inspect(ContainerCorpus.MissingConfigDockerSave, "docker");

        var config = $"{corpus.DockerSaveConfigDigest["sha256:".Length..]}.json";
        Assert.Equal([$"manifest.json names config '{config}' that is not in the archive"], inspection.Problems);
    }

    [Fact]
    public async Task When_an_oci_layer_blob_was_changed_the_reason_gives_both_digests()
    {
        var inspection = await Inspect(ContainerCorpus.TamperedLayerOciLayout, "oci");

        var blob = ContainerCorpus.BlobPath(corpus.GzipLayerDigests[1]);
        var problem = Assert.Single(inspection.Problems);
        Assert.StartsWith($"layer {blob} has digest sha256:", problem, StringComparison.Ordinal);
        Assert.EndsWith($", manifest {corpus.OciManifestDigest} says {corpus.GzipLayerDigests[1]}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_oci_layer_blob_is_missing_the_reason_names_it()
    {
        var inspection = await Inspect(ContainerCorpus.MissingLayerOciLayout, "oci");

        var digest = corpus.GzipLayerDigests[1];
        Assert.Equal(
            [$"manifest {corpus.OciManifestDigest} names layer {digest} that is not in the archive (no {ContainerCorpus.BlobPath(digest)})"],
            inspection.Problems);
    }

    [Fact]
    public async Task When_a_descriptor_gives_the_wrong_size_the_reason_gives_both_sizes()
    {
        var inspection = await Inspect(ContainerCorpus.WrongSizeOciLayout, "oci");

        var blob = ContainerCorpus.BlobPath(corpus.GzipLayerDigests[0]);
        var size = corpus.GzipLayerSizes[0];
        Assert.Equal([$"layer {blob} has {size} bytes, manifest {corpus.WrongSizeManifestDigest} says {size + 1}"], inspection.Problems);
    }

    [Fact]
    public async Task When_a_blob_no_descriptor_names_is_not_what_its_name_says_the_layout_is_refused()
    {
        var inspection = await Inspect(ContainerCorpus.TamperedSpareBlobOciLayout, "oci");

        var problem = Assert.Single(inspection.Problems);
        Assert.StartsWith($"blob {corpus.SpareBlobName} has digest sha256:", problem, StringComparison.Ordinal);
        Assert.EndsWith($", its name says sha256:{corpus.SpareBlobName["blobs/sha256/".Length..]}", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ContainerCorpus.UnsafePathOciLayout, "oci", "entry 'blobs/../../escape.sh' has a '..' path segment")]
    [InlineData(ContainerCorpus.OciLayout, "docker", "containerFormat docker was declared, but the archive is an OCI image layout without docker save's manifest.json; declare oci")]
    [InlineData(ContainerCorpus.DockerSave, "oci", "containerFormat oci was declared, but the archive is a docker save archive without an OCI image layout (no oci-layout file)")]
    [InlineData(ContainerCorpus.DockerSave, "bare", "its containerFormat is 'bare'; a container image is docker or oci")]
    [InlineData(ContainerCorpus.DockerSave, null, "its containerFormat is not given; a container image is docker or oci")]
    [InlineData(ContainerCorpus.NeitherLayoutTar, "docker", "the archive is neither a docker save archive (no manifest.json) nor an OCI image layout (no oci-layout file)")]
    [InlineData(ContainerCorpus.ZipArchive, "docker", "a docker save archive or an OCI image layout is a tar, but the bytes are zip")]
    public async Task When_the_archive_is_unsafe_or_not_the_declared_layout_it_is_refused_saying_why(string archive, string? declared, string problem)
    {
        var inspection = await Inspect(archive, declared);

        Assert.Equal([problem], inspection.Problems);
    }

    [Fact]
    public async Task When_index_json_does_not_parse_the_reason_says_so()
    {
        var inspection = await Inspect(ContainerCorpus.InvalidIndexOciLayout, "oci");

        var problem = Assert.Single(inspection.Problems);
        Assert.StartsWith("index.json is not valid JSON (", problem, StringComparison.Ordinal);
    }

    async Task<ContainerInspection> Inspect(string archive, string? declaredFormat)
    {
        await using var content = File.OpenRead(corpus.PathOf(archive));
        return await new ContainerImageInspector(new ArchiveReader(Options.Create(new ArchiveSafetyOptions()))).InspectAsync(content, declaredFormat, CancellationToken.None);
    }
}

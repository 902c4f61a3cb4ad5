using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Tests.Formats;

/// <summary>The format check inside the Validation consumer, on the in-memory harness, with real images.</summary>
public sealed class FormatVerdictTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>, IAsyncLifetime
{
    readonly ValidationHarness _validation = new();

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync() => await _validation.DisposeAsync();

    [Fact]
    public async Task When_a_qcow2_is_declared_as_qcow2_it_is_validated_with_its_virtual_size()
    {
        var upload = await _validation.StoreFileAsync(corpus.PathOf(ImageCorpus.Qcow2V3), "qcow2");

        await _validation.Harness.Bus.Publish(upload);

        var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
        Assert.Equal("qcow2", validated.DiskFormat);
        Assert.Equal(ImageCorpus.DiskSize, validated.VirtualSizeBytes);
        Assert.False(await _validation.Harness.Published.Any<ImageRejected>());
    }

    [Fact]
    public async Task When_a_qcow2_is_declared_as_raw_it_is_rejected_saying_what_the_bytes_are()
    {
        var upload = await _validation.StoreFileAsync(corpus.PathOf(ImageCorpus.Qcow2V3), "raw");

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Equal("The disk image was refused: declared raw but the bytes are a qcow2 image.", rejected.Reason);
        Assert.False(await _validation.Harness.Published.Any<ImageValidated>());
    }

    [Fact]
    public async Task When_a_qcow2_names_a_backing_file_every_problem_is_in_the_reason()
    {
        var upload = await _validation.StoreFileAsync(corpus.PathOf(ImageCorpus.JsonBackingQcow2), "raw");

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Contains("json: pseudo-filename", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("declared raw but the bytes are a qcow2 image", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_checksum_and_the_format_both_fail_the_checksum_reason_wins()
    {
        var upload = await _validation.StoreFileAsync(corpus.PathOf(ImageCorpus.Qcow2V3), "raw", declaredSha256: new string('a', 64));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.StartsWith("Declared sha256 does not match", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("qcow2", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_upload_is_not_a_vm_image_its_bytes_are_not_inspected()
    {
        var upload = await _validation.StoreFileAsync(corpus.PathOf(ImageCorpus.BackingFileQcow2), diskFormat: null, kind: "software-package");

        await _validation.Harness.Bus.Publish(upload);

        var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
        Assert.Null(validated.VirtualSizeBytes);
    }
}

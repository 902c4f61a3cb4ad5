using System.Security.Cryptography;
using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Tests.Checks;

public sealed class ImageUploadedConsumerTests : IAsyncLifetime
{
    readonly ValidationHarness _validation = new();

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync() => await _validation.DisposeAsync();

    [Fact]
    public async Task When_declared_checksums_match_the_image_is_validated_with_its_metadata()
    {
        var bytes = ValidationHarness.RandomBytes(300_000);
        var upload = await _validation.StoreAsync(bytes,
            declaredSha256: Convert.ToHexString(SHA256.HashData(bytes)), // upper case is accepted
            declaredSha512: Convert.ToHexStringLower(SHA512.HashData(bytes)));

        await _validation.Harness.Bus.Publish(upload);

        var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
        Assert.Null(upload.Sha512); // an upload leaves SHA-512 to Validation
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(bytes)), validated.Sha512);
        Assert.Equal(bytes.Length, validated.SizeBytes);
        Assert.Equal("raw", validated.DiskFormat);
        Assert.Equal(bytes.Length, validated.VirtualSizeBytes); // a raw disk is as large as its bytes
        Assert.False(await _validation.Harness.Published.Any<ImageRejected>());
    }

    [Fact]
    public async Task When_no_checksum_is_declared_the_image_is_validated()
    {
        var upload = await _validation.StoreAsync(ValidationHarness.RandomBytes(1000));

        await _validation.Harness.Bus.Publish(upload);

        await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
    }

    [Fact]
    public async Task When_the_declared_sha256_differs_the_reason_names_expected_and_actual()
    {
        var upload = await _validation.StoreAsync(ValidationHarness.RandomBytes(1000), declaredSha256: new string('b', 64));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Contains($"expected {new string('b', 64)}", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains($"actual {upload.Sha256}", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_declared_sha512_differs_the_image_is_rejected()
    {
        var bytes = ValidationHarness.RandomBytes(1000);
        var upload = await _validation.StoreAsync(bytes, declaredSha512: new string('c', 128));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Contains("sha512", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA512.HashData(bytes)), rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_legacy_md5_is_declared_it_is_checked_too()
    {
        var bytes = ValidationHarness.RandomBytes(3000);
        var good = await _validation.StoreAsync(bytes) with { DeclaredMd5 = Convert.ToHexString(MD5.HashData(bytes)) };
        var bad = await _validation.StoreAsync(ValidationHarness.RandomBytes(3000)) with { DeclaredMd5 = new string('9', 32) };

        await _validation.Harness.Bus.Publish(good);
        await _validation.Harness.Bus.Publish(bad);

        await _validation.SingleVerdict<ImageValidated>(good.ImageId);
        var rejected = await _validation.SingleVerdict<ImageRejected>(bad.ImageId);
        Assert.Contains($"Declared md5 does not match the uploaded bytes: expected {new string('9', 32)}", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_stored_bytes_changed_after_upload_the_image_is_rejected()
    {
        var upload = await _validation.StoreAsync(ValidationHarness.RandomBytes(1000));
        var path = Directory.GetFiles(Path.Combine(_validation.Root, "sha256"), upload.Sha256, SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(path, ValidationHarness.RandomBytes(1000));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Contains("changed after upload", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_kind_is_none_that_validation_checks_the_image_is_rejected()
    {
        var upload = await _validation.StoreAsync(ValidationHarness.RandomBytes(1000)) with { Kind = "firmware", DiskFormat = null };

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.StartsWith("The kind 'firmware' is none that Validation checks", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_blob_is_missing_the_image_is_rejected()
    {
        var upload = await _validation.StoreAsync(ValidationHarness.RandomBytes(10)) with { Sha256 = new string('d', 64) };

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Contains("missing", rejected.Reason, StringComparison.Ordinal);
    }
}

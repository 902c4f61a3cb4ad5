using ImageManager.Contracts.Images;
using ImageManager.Testing;
using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>
/// A CSAR's disk images taken out by the Validation consumer, on the in-memory harness: real qcow2 images made with
/// qemu-img, stored as blobs of their own and announced before the package's verdict; an unsafe one refuses the package.
/// </summary>
public sealed class CsarImageExtractionTests : IAsyncLifetime
{
    readonly ValidationHarness _validation = new();
    readonly string _folder = Directory.CreateTempSubdirectory("imagemanager-csar-images-").FullName;

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync()
    {
        await _validation.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task When_a_csar_holds_a_listed_qcow2_it_is_stored_as_an_image_of_its_own_before_the_package_is_validated()
    {
        var qcow2 = QemuImage("vnf.qcow2", "create", "-f", "qcow2", "vnf.qcow2", "16M");
        var raw = ValidationHarness.RandomBytes(1 << 20);
        var upload = await StoreCsarAsync(
            CsarFile.Manifest(("Files/images/vnf.qcow2", "SHA-256", CsarFile.Sha256(qcow2)), ("Files/images/data.img", "SHA-512", CsarFile.Sha512(raw))),
            ("Files/images/vnf.qcow2", qcow2), ("Files/images/data.img", raw));

        await _validation.Harness.Bus.Publish(upload);

        var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
        Assert.Equal("csar", validated.DetectedType);
        var extracted = _validation.Harness.Published.Select<PackageImageExtracted>(new CancellationToken(canceled: true))
            .Select(x => x.Context.Message).OrderBy(x => x.PathInPackage, StringComparer.Ordinal).ToList();
        Assert.Equal(["Files/images/data.img", "Files/images/vnf.qcow2"], extracted.Select(x => x.PathInPackage));
        Assert.Equal(["raw", "qcow2"], extracted.Select(x => x.DiskFormat));
        Assert.Equal([raw.LongLength, 16L << 20], extracted.Select(x => x.VirtualSizeBytes!.Value));
        Assert.Equal([CsarFile.Sha256(raw), CsarFile.Sha256(qcow2)], extracted.Select(x => x.Sha256));
        Assert.Equal(["SHA-512", "SHA-256"], extracted.Select(x => x.ManifestAlgorithm));
        Assert.All(extracted, x => Assert.Equal(upload.ImageId, x.PackageId));
        Assert.Equal(PackageImageIds.For(upload.ImageId, "Files/images/vnf.qcow2"), extracted[1].ImageId);
        Assert.NotEqual(extracted[0].ImageId, extracted[1].ImageId);
        await using var stored = await _validation.Blobs.OpenReadAsync(CsarFile.Sha256(qcow2), CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(qcow2.Length, stored.Length);
    }

    [Fact]
    public async Task When_a_csar_holds_a_qcow2_with_a_backing_file_the_package_is_rejected_and_no_blob_is_left()
    {
        QemuImage("base.qcow2", "create", "-f", "qcow2", "base.qcow2", "16M");
        var evil = QemuImage("evil.qcow2", "create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "evil.qcow2");
        var upload = await StoreCsarAsync(CsarFile.Manifest(("Files/images/evil.qcow2", "SHA-256", CsarFile.Sha256(evil))), ("Files/images/evil.qcow2", evil));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.StartsWith("The software package (csar) was refused: The disk image 'Files/images/evil.qcow2' in the package was refused: ", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("backing file", rejected.Reason, StringComparison.Ordinal);
        Assert.False(await _validation.Blobs.ExistsAsync(CsarFile.Sha256(evil), CancellationToken.None));
        Assert.Empty(_validation.Harness.Published.Select<PackageImageExtracted>(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task When_an_image_is_named_for_another_format_than_its_bytes_the_package_is_rejected()
    {
        var raw = ValidationHarness.RandomBytes(1 << 20);
        var upload = await StoreCsarAsync(CsarFile.Manifest(("Files/images/vnf.vmdk", "SHA-256", CsarFile.Sha256(raw))), ("Files/images/vnf.vmdk", raw));

        await _validation.Harness.Bus.Publish(upload);

        var rejected = await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Contains("'Files/images/vnf.vmdk' in the package was refused: declared vmdk but the bytes are raw", rejected.Reason, StringComparison.Ordinal);
    }

    byte[] QemuImage(string name, params string[] arguments)
    {
        QemuImg.Run(_folder, arguments);
        return File.ReadAllBytes(Path.Combine(_folder, name));
    }

    async Task<ImageUploaded> StoreCsarAsync(string manifest, params (string Name, byte[] Bytes)[] files)
    {
        var path = CsarFile.Write(Path.Combine(_folder, $"{Guid.NewGuid():N}.csar"), manifest, files);
        return await _validation.StorePackageAsync(path);
    }
}

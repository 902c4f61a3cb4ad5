using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>ETSI SOL004 VNF packages through HTTP: the disk images inside are checked against the manifest and catalogued as images of their own.</summary>
[Collection(SystemCollection.Name)]
public sealed class CsarTests(SystemFixture system) : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("imagemanager-e2e-csar-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task When_a_csar_is_uploaded_its_qcow2_becomes_an_active_image_linked_to_the_package_with_the_same_bytes()
    {
        QemuImg.Run(_folder, "create", "-f", "qcow2", "vnf.qcow2", "32M");
        var qcow2 = await File.ReadAllBytesAsync(Path.Combine(_folder, "vnf.qcow2"));
        var packageName = $"vnf-package-{Guid.NewGuid():N}";
        var packageId = await CreatePackageAsync(packageName);

        await system.UploadAsync(packageId, Csar(CsarFile.Manifest(("Files/images/vnf.qcow2", "SHA-512", CsarFile.Sha512(qcow2))), ("Files/images/vnf.qcow2", qcow2)));

        Assert.Equal("active", (await system.WaitForStatusAsync(packageId, "active", "rejected"))["status"]!.GetValue<string>());
        var children = await Eventually.Get(
            async () => (await system.GetJsonAsync($"/api/v1/images?packageId={packageId}"))["images"]!.AsArray(),
            images => images.Count == 1,
            TimeSpan.FromSeconds(60),
            "the package's image in the catalogue");
        var childId = Guid.Parse(children.Single()!["id"]!.GetValue<string>());
        var child = await system.WaitForStatusAsync(childId, "active", "rejected");
        Assert.Equal(
            ("active", "vm-image", "qcow2", $"{packageName}/images/vnf.qcow2", "Files/images/vnf.qcow2", CsarFile.Sha512(qcow2)),
            (child["status"]!.GetValue<string>(), child["kind"]!.GetValue<string>(), child["diskFormat"]!.GetValue<string>(),
                child["name"]!.GetValue<string>(), child["pathInPackage"]!.GetValue<string>(), child["declaredSha512"]!.GetValue<string>()));
        Assert.Equal(qcow2, await system.Api.GetByteArrayAsync($"/api/v1/images/{childId}/file"));
    }

    [Fact]
    public async Task When_a_tenant_uploads_a_csar_its_images_are_the_tenants_and_visible_as_the_package_is()
    {
        using var ownerA = await system.ClientForAsync("tenant-a", "onboarder");
        using var viewerB = await system.ClientForAsync("tenant-b", "viewer");
        using var viewerC = await system.ClientForAsync("tenant-c", "viewer");
        var image = TestImage.Random(70_000);
        using var created = await ownerA.PostAsJsonAsync("/api/v1/images",
            new { name = system.Unique("tenant-vnf-package"), version = "1.0", vendor = "acme", kind = "software-package", visibility = "shared", sharedWith = new[] { "tenant-b" } });
        created.EnsureSuccessStatusCode();
        var packageId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        using var uploaded = await ownerA.PutAsync($"/api/v1/images/{packageId}/file",
            Csar(CsarFile.Manifest(("Files/images/vnf.img", "SHA-256", image.Sha256)), ("Files/images/vnf.img", image.Bytes)).Content());
        uploaded.EnsureSuccessStatusCode();

        Assert.Equal("active", (await system.WaitForStatusAsync(packageId, "active", "rejected"))["status"]!.GetValue<string>());
        var children = await Eventually.Get(
            async () => (await ownerA.GetFromJsonAsync<JsonObject>($"/api/v1/images?packageId={packageId}"))!["images"]!.AsArray(),
            images => images.Count == 1,
            TimeSpan.FromSeconds(60),
            "the package's image, listed to its tenant");
        var childId = children.Single()!["id"]!.GetValue<string>();
        using var byOwner = await ownerA.GetAsync($"/api/v1/images/{childId}");
        using var bySharedTenant = await viewerB.GetAsync($"/api/v1/images/{childId}");
        using var byStranger = await viewerC.GetAsync($"/api/v1/images/{childId}");

        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        var child = (await byOwner.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("tenant-a", "shared", "tenant-b"),
            (child["owner"]?.GetValue<string>(), child["visibility"]!.GetValue<string>(), child["sharedWith"]!.AsArray().Single()!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, bySharedTenant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
    }

    [Fact]
    public async Task When_a_csar_image_does_not_match_its_manifest_hash_the_package_is_rejected_and_nothing_is_catalogued_from_it()
    {
        var image = TestImage.Random(100_000);
        var wrong = new string('0', 64);
        var packageId = await CreatePackageAsync($"bad-vnf-package-{Guid.NewGuid():N}");

        await system.UploadAsync(packageId, Csar(CsarFile.Manifest(("Files/images/vnf.img", "SHA-256", wrong)), ("Files/images/vnf.img", image.Bytes)));

        var rejected = await system.WaitForStatusAsync(packageId, "active", "rejected");
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.Contains($"'Files/images/vnf.img' does not match the manifest: SHA-256 expected {wrong}, actual {image.Sha256}", rejected["rejectionReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await system.GetJsonAsync($"/api/v1/images?packageId={packageId}"))["images"]!.AsArray());
    }

    [Fact]
    public async Task When_a_csar_manifest_ends_with_a_bogus_cms_block_the_package_is_rejected_naming_it()
    {
        var changeLog = "1.0: first release\n"u8.ToArray();
        var manifest = CsarFile.Manifest(("Files/ChangeLog.txt", "SHA-256", CsarFile.Sha256(changeLog)))
                       + "-----BEGIN CMS-----\nVGhpcyBpcyBub3QgYSBzaWduYXR1cmUu\n-----END CMS-----\n";
        var packageId = await CreatePackageAsync($"bogus-signature-package-{Guid.NewGuid():N}");

        await system.UploadAsync(packageId, Csar(manifest, ("Files/ChangeLog.txt", changeLog)));

        var rejected = await system.WaitForStatusAsync(packageId, "active", "rejected");
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.StartsWith(
            "The software package (csar) was refused: the manifest's signature block is not a CMS signature", rejected["rejectionReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    async Task<Guid> CreatePackageAsync(string name)
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/images", new { name, version = "1.0", vendor = "acme", kind = "software-package" });
        response.EnsureSuccessStatusCode();
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
    }

    TestImage Csar(string manifest, params (string Name, byte[] Bytes)[] files)
    {
        var bytes = File.ReadAllBytes(CsarFile.Write(Path.Combine(_folder, $"{Guid.NewGuid():N}.csar"), manifest, files));
        return new TestImage(bytes, CsarFile.Sha256(bytes), CsarFile.Sha512(bytes));
    }
}

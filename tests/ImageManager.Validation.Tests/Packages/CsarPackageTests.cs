using System.IO.Compression;
using System.Security.Cryptography;
using ImageManager.Testing;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Packages;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>ETSI SOL004 VNF packages (CSAR zips) checked against their manifest.</summary>
public sealed class CsarPackageTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("imagemanager-csar-").FullName;
    readonly byte[] _image = RandomNumberGenerator.GetBytes(200_000);
    readonly byte[] _vnfd = CsarFile.Vnfd;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task When_every_manifest_hash_matches_the_package_is_a_valid_csar()
    {
        var csar = Csar(Manifest(("Files/images/vnf.qcow2", "SHA-256", Sha256(_image)), ("Definitions/vnfd.yaml", "SHA-512", Sha512(_vnfd))));

        var inspection = await Inspect(csar);

        Assert.Null(inspection.Problem);
        Assert.Equal("csar", inspection.Type);
    }

    [Fact]
    public async Task When_an_image_does_not_match_its_manifest_hash_the_package_is_refused_naming_it()
    {
        var wrong = new string('0', 64);
        var csar = Csar(Manifest(("Files/images/vnf.qcow2", "SHA-256", wrong)));

        var inspection = await Inspect(csar);

        Assert.Equal($"'Files/images/vnf.qcow2' does not match the manifest: SHA-256 expected {wrong}, actual {Sha256(_image)}.", inspection.Problem);
    }

    [Fact]
    public async Task When_the_manifest_lists_a_file_the_package_lacks_it_is_refused()
    {
        var csar = Csar(Manifest(("Files/images/other.qcow2", "SHA-256", Sha256(_image))));

        Assert.Equal("The manifest lists 'Files/images/other.qcow2', which is not in the package.", (await Inspect(csar)).Problem);
    }

    [Fact]
    public async Task When_the_manifest_uses_an_unknown_algorithm_it_is_refused()
    {
        var csar = Csar(Manifest(("Files/images/vnf.qcow2", "MD5", "abc")));

        Assert.Contains("uses the algorithm 'MD5'", (await Inspect(csar)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_tosca_meta_names_a_missing_manifest_it_is_refused()
    {
        var csar = Csar(Manifest(("Files/images/vnf.qcow2", "SHA-256", Sha256(_image))), manifestName: "elsewhere.mf", toscaMetaNames: "manifest.mf");

        Assert.Contains("names the manifest 'manifest.mf', which is not in the package", (await Inspect(csar)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_disk_image_in_the_package_is_not_in_the_manifest_it_is_refused_naming_it()
    {
        var csar = Csar(Manifest(("Files/images/vnf.qcow2", "SHA-256", Sha256(_image))), more: [("Files/images/extra.img", _vnfd)]);

        Assert.Equal("'Files/images/extra.img' is a disk image the manifest does not list, so nothing vouches for it.", (await Inspect(csar)).Problem);
    }

    [Fact]
    public async Task When_a_csar_is_inspected_every_disk_image_is_listed_with_its_manifest_entry_and_nothing_else()
    {
        var csar = Csar(Manifest(("Files/images/vnf.qcow2", "SHA-256", Sha256(_image)), ("Files/ChangeLog.txt", "SHA-512", Sha512(_vnfd))), more: [("Files/ChangeLog.txt", _vnfd)]);

        var image = Assert.Single((await Inspect(csar)).Images);

        Assert.Equal(new CsarImage("Files/images/vnf.qcow2", Sha256(_image), Sha512(_image), "SHA-256", Sha256(_image)), image);
    }

    [Fact]
    public async Task When_a_zip_has_no_tosca_metadata_or_manifest_it_is_taken_as_a_plain_zip()
    {
        var path = Path.Combine(_folder, "plain.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            await using var stream = zip.CreateEntry("readme.txt").Open();
            await stream.WriteAsync(_vnfd);
        }

        var inspection = await Inspect(path);

        Assert.Equal(("zip", null), (inspection.Type, inspection.Problem));
    }

    string Csar(string manifest, string manifestName = "manifest.mf", string? toscaMetaNames = null, params (string Name, byte[] Bytes)[] more) =>
        CsarFile.Write(Path.Combine(_folder, $"{Guid.NewGuid():N}.csar"), manifest, [("Files/images/vnf.qcow2", _image), .. more], manifestName, toscaMetaNames);

    static string Manifest(params (string Source, string Algorithm, string Hash)[] entries) => CsarFile.Manifest(entries);

    static string Sha256(byte[] bytes) => CsarFile.Sha256(bytes);

    static string Sha512(byte[] bytes) => CsarFile.Sha512(bytes);

    static async Task<PackageInspection> Inspect(string path)
    {
        var options = Options.Create(new ArchiveSafetyOptions());
        var archives = new ArchiveReader(options);
        await using var content = File.OpenRead(path);
        return await new PackageInspector(archives, new DebPackageInspector(archives, options), new RpmPackageInspector(archives)).InspectAsync(content, CancellationToken.None);
    }
}

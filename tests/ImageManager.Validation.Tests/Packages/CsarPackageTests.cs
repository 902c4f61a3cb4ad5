using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Packages;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>ETSI SOL004 VNF packages (CSAR zips) checked against their manifest.</summary>
public sealed class CsarPackageTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("imagemanager-csar-").FullName;
    readonly byte[] _image = RandomNumberGenerator.GetBytes(200_000);
    readonly byte[] _vnfd = Encoding.UTF8.GetBytes("tosca_definitions_version: tosca_simple_yaml_1_3\n");

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
    public async Task Should_treat_a_zip_without_tosca_metadata_or_manifest_as_a_plain_zip()
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

    string Csar(string manifest, string manifestName = "manifest.mf", string? toscaMetaNames = null)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.csar");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "TOSCA-Metadata/TOSCA.meta", Encoding.UTF8.GetBytes(
            $"TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: tests\nEntry-Definitions: Definitions/vnfd.yaml\nETSI-Entry-Manifest: {toscaMetaNames ?? manifestName}\n"));
        Add(zip, manifestName, Encoding.UTF8.GetBytes(manifest));
        Add(zip, "Definitions/vnfd.yaml", _vnfd);
        Add(zip, "Files/images/vnf.qcow2", _image);
        return path;
    }

    static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(bytes);
    }

    static string Manifest(params (string Source, string Algorithm, string Hash)[] entries) =>
        "metadata:\n  vnf_product_name: test-vnf\n  vnf_provider_id: acme\n\n" +
        string.Concat(entries.Select(e => $"Source: {e.Source}\nAlgorithm: {e.Algorithm}\nHash: {e.Hash}\n\n"));

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static string Sha512(byte[] bytes) => Convert.ToHexStringLower(SHA512.HashData(bytes));

    static async Task<PackageInspection> Inspect(string path)
    {
        var options = Options.Create(new ArchiveSafetyOptions());
        var archives = new ArchiveReader(options);
        await using var content = File.OpenRead(path);
        return await new PackageInspector(archives, new DebPackageInspector(archives, options)).InspectAsync(content, CancellationToken.None);
    }
}

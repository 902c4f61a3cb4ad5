using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Testing;

/// <summary>Writes ETSI SOL004 VNF packages (CSAR zips) for tests: TOSCA metadata, a manifest, a VNFD and the given files.</summary>
public static class CsarFile
{
    public static readonly byte[] Vnfd = Encoding.UTF8.GetBytes("tosca_definitions_version: tosca_simple_yaml_1_3\n");

    /// <summary>Writes the package to <paramref name="path"/>; <paramref name="toscaMetaNames"/> lets TOSCA.meta name another manifest than the one written.</summary>
    public static string Write(
        string path, string manifest, IEnumerable<(string Name, byte[] Bytes)> files, string manifestName = "manifest.mf", string? toscaMetaNames = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "TOSCA-Metadata/TOSCA.meta", Encoding.UTF8.GetBytes(
            $"TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: tests\nEntry-Definitions: Definitions/vnfd.yaml\nETSI-Entry-Manifest: {toscaMetaNames ?? manifestName}\n"));
        Add(zip, manifestName, Encoding.UTF8.GetBytes(manifest));
        Add(zip, "Definitions/vnfd.yaml", Vnfd);
        foreach (var (name, bytes) in files)
        {
            Add(zip, name, bytes);
        }

        return path;
    }

    /// <summary>A manifest with the metadata block and one Source / Algorithm / Hash block per entry.</summary>
    public static string Manifest(params (string Source, string Algorithm, string Hash)[] entries) =>
        "metadata:\n  vnf_product_name: test-vnf\n  vnf_provider_id: acme\n\n" +
        string.Concat(entries.Select(e => $"Source: {e.Source}\nAlgorithm: {e.Algorithm}\nHash: {e.Hash}\n\n"));

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha512(byte[] bytes) => Convert.ToHexStringLower(SHA512.HashData(bytes));

    static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(bytes);
    }
}

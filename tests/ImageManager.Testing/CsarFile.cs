using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Testing;

/// <summary>Writes ETSI SOL004 VNF packages (CSAR zips) for tests: TOSCA metadata, a manifest, a VNFD and the given files.</summary>
public static class CsarFile
{
    public static readonly byte[] Vnfd = Encoding.UTF8.GetBytes("tosca_definitions_version: tosca_simple_yaml_1_3\n");

    /// <summary>
    /// Writes the package to <paramref name="path"/>; <paramref name="toscaMetaNames"/> lets TOSCA.meta name another
    /// manifest than the one written; <paramref name="entryCertificate"/> is the signing certificate's path TOSCA.meta
    /// names (<c>ETSI-Entry-Certificate</c>), the file itself being one of <paramref name="files"/>.
    /// </summary>
    public static string Write(
        string path, string manifest, IEnumerable<(string Name, byte[] Bytes)> files, string manifestName = "manifest.mf", string? toscaMetaNames = null,
        string? entryCertificate = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var certificateLine = entryCertificate is null ? "" : $"ETSI-Entry-Certificate: {entryCertificate}\n";
        Add(zip, "TOSCA-Metadata/TOSCA.meta", Encoding.UTF8.GetBytes(
            $"TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: tests\nEntry-Definitions: Definitions/vnfd.yaml\nETSI-Entry-Manifest: {toscaMetaNames ?? manifestName}\n{certificateLine}"));
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

    /// <summary>
    /// The manifest with its CMS signature appended, as a vendor's tooling makes it:
    /// <c>openssl cms -sign -binary -outform PEM</c> over the manifest's bytes (a detached signature), with the signer's
    /// certificate inside the signature unless <paramref name="withoutCertificate"/> (then it travels in a <c>.cert</c> file).
    /// </summary>
    public static string SignWithOpenSsl(string manifest, string certificatePem, AsymmetricAlgorithm key, bool withoutCertificate = false) =>
        manifest + OpenSslSignature(Encoding.UTF8.GetBytes(manifest), certificatePem, key, withoutCertificate);

    /// <summary>A detached CMS signature (PEM) over <paramref name="content"/>, made by <c>openssl cms -sign -binary</c>.</summary>
    public static string OpenSslSignature(byte[] content, string certificatePem, AsymmetricAlgorithm key, bool withoutCertificate = false)
    {
        var folder = Directory.CreateTempSubdirectory("imagemanager-cms-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "content"), content);
            File.WriteAllText(Path.Combine(folder, "signer.pem"), certificatePem);
            File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
            string[] arguments = ["cms", "-sign", "-binary", "-outform", "PEM", "-in", "content", "-signer", "signer.pem", "-inkey", "key.pem", "-out", "content.cms"];
            var openssl = Process.Start(new ProcessStartInfo("openssl", withoutCertificate ? [.. arguments, "-nocerts"] : arguments)
            {
                WorkingDirectory = folder,
                RedirectStandardError = true,
            })!;
            var errors = openssl.StandardError.ReadToEnd();
            openssl.WaitForExit();
            return openssl.ExitCode == 0
                ? File.ReadAllText(Path.Combine(folder, "content.cms"))
                : throw new InvalidOperationException($"openssl cms -sign failed: {errors}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha512(byte[] bytes) => Convert.ToHexStringLower(SHA512.HashData(bytes));

    static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(bytes);
    }
}

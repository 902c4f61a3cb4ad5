using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Testing;

/// <summary>A small valid Helm chart as <c>helm package</c> writes it: a tar.gz of one folder holding Chart.yaml, values and a template.</summary>
public static class TestHelmChart
{
    public static TestImage Package(string name, string version, string? description = null)
    {
        var chartYaml = $"apiVersion: v2\nname: {name}\nversion: {version}\ntype: application\ndeprecated: false\n"
            + (description is null ? "" : $"description: \"{description}\"\n")
            + "maintainers:\n  - name: e2e\n    email: e2e@example.net\n";
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            Add(tar, $"{name}/Chart.yaml", chartYaml);
            Add(tar, $"{name}/values.yaml", "replicaCount: 1\n");
            Add(tar, $"{name}/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
        }

        var bytes = buffer.ToArray();
        return new TestImage(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), Convert.ToHexStringLower(SHA512.HashData(bytes)));
    }

    static void Add(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace ImageManager.Testing;

/// <summary>
/// A small real container image, written the way <c>docker save</c> (before Docker 25) or OCI tools write it, as the tar
/// a vendor uploads; with the digests a registry shows for it. <see cref="ImageDigest"/> is the manifest (or index) an OCI
/// layout carries, pushed as-is; a docker save archive has none (the driver builds its manifest).
/// </summary>
public sealed record TestContainerImage(
    byte[] Archive,
    string ConfigDigest,
    IReadOnlyList<string> LayerDigests,
    IReadOnlyList<string> DiffIds,
    string? ImageDigest = null,
    byte[]? ImageDocument = null,
    IReadOnlyList<string>? PlatformManifestDigests = null)
{
    const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    const string OciIndexType = "application/vnd.oci.image.index.v1+json";

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Archive));

    public string Sha512 => Convert.ToHexStringLower(SHA512.HashData(Archive));

    /// <summary>A layer: a tar holding one file of <paramref name="randomBytes"/> random bytes (random, so gzip cannot shrink it).</summary>
    public static byte[] Layer(int randomBytes, string path = "usr/bin/vnf") =>
        Tar(new Dictionary<string, byte[]> { [path] = RandomNumberGenerator.GetBytes(randomBytes) });

    /// <summary><c>docker save</c> before Docker 25: manifest.json, <c>&lt;config hex&gt;.json</c>, <c>&lt;id&gt;/layer.tar</c> uncompressed.</summary>
    public static TestContainerImage DockerSave(params byte[][] layers)
    {
        var diffIds = layers.Select(Digest).ToArray();
        var config = Config(diffIds, "amd64");
        var configName = $"{Hex(config)}.json";
        var files = new Dictionary<string, byte[]> { [configName] = config };
        var paths = new List<string>();
        for (var i = 0; i < layers.Length; i++)
        {
            var path = $"{Hex(layers[i])[..16]}{i}/layer.tar";
            files[path] = layers[i];
            paths.Add(path);
        }

        files["manifest.json"] = JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = configName, RepoTags = new[] { "vnf/agent:1.0" }, Layers = paths } });
        return new TestContainerImage(Tar(files), Digest(config), diffIds, diffIds);
    }

    /// <summary>An OCI image layout: oci-layout, index.json → one manifest, blobs/sha256/…, layers gzip-compressed when asked.</summary>
    public static TestContainerImage OciLayout(byte[][] layers, bool gzipLayers = true, bool gzipArchive = false)
    {
        var blobs = layers.Select(layer => gzipLayers ? Gzip(layer) : layer).ToArray();
        var diffIds = layers.Select(Digest).ToArray();
        var config = Config(diffIds, "amd64");
        var manifest = Manifest(config, blobs, gzipLayers);
        var tar = Tar(LayoutFiles(Descriptor(OciManifestType, manifest), [.. blobs, config, manifest]));
        return new TestContainerImage(gzipArchive ? Gzip(tar) : tar, Digest(config), [.. blobs.Select(Digest)], diffIds, Digest(manifest), manifest);
    }

    /// <summary>An OCI image layout whose index.json names an image index of two platforms (amd64, arm64) sharing the layers.</summary>
    public static TestContainerImage MultiPlatformOciLayout(params byte[][] layers)
    {
        var blobs = layers.Select(Gzip).ToArray();
        var diffIds = layers.Select(Digest).ToArray();
        var amd64 = Config(diffIds, "amd64");
        var arm64 = Config(diffIds, "arm64");
        var amd64Manifest = Manifest(amd64, blobs, gzip: true);
        var arm64Manifest = Manifest(arm64, blobs, gzip: true);
        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciIndexType,
            manifests = new[]
            {
                Descriptor(OciManifestType, amd64Manifest, new { architecture = "amd64", os = "linux" }),
                Descriptor(OciManifestType, arm64Manifest, new { architecture = "arm64", os = "linux" }),
            },
        });
        var tar = Tar(LayoutFiles(Descriptor(OciIndexType, index), [.. blobs, amd64, arm64, amd64Manifest, arm64Manifest, index]));
        return new TestContainerImage(tar, Digest(amd64), [.. blobs.Select(Digest)], diffIds, Digest(index), index, [Digest(amd64Manifest), Digest(arm64Manifest)]);
    }

    public static string Digest(byte[] bytes) => $"sha256:{Hex(bytes)}";

    static Dictionary<string, byte[]> LayoutFiles(object imageDescriptor, IEnumerable<byte[]> blobs)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["oci-layout"] = JsonSerializer.SerializeToUtf8Bytes(new { imageLayoutVersion = "1.0.0" }),
            ["index.json"] = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = OciIndexType, manifests = new[] { imageDescriptor } }),
        };
        foreach (var blob in blobs)
        {
            files[$"blobs/sha256/{Hex(blob)}"] = blob;
        }

        return files;
    }

    static byte[] Config(string[] diffIds, string architecture) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        architecture,
        os = "linux",
        config = new { Entrypoint = new[] { "/usr/bin/vnf" } },
        rootfs = new { type = "layers", diff_ids = diffIds },
    });

    static byte[] Manifest(byte[] config, byte[][] layers, bool gzip) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        schemaVersion = 2,
        mediaType = OciManifestType,
        config = Descriptor("application/vnd.oci.image.config.v1+json", config),
        layers = layers.Select(layer => Descriptor(gzip ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar", layer)).ToArray(),
    });

    static object Descriptor(string mediaType, byte[] blob, object? platform = null) =>
        platform is null ? new { mediaType, digest = Digest(blob), size = blob.Length } : new { mediaType, digest = Digest(blob), size = blob.Length, platform };

    static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    static byte[] Tar(Dictionary<string, byte[]> files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return tar.ToArray();
    }
}

using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using ImageManager.Validation.Tests.Archives;

namespace ImageManager.Validation.Tests.Containers;

/// <summary>
/// Container image archives written once per test class into a temporary folder, laid out the way <c>docker save</c>
/// (before and since Docker 25) and OCI tools write them, from two small layers; then the broken and tampered ones.
/// The digests the archives should carry are exposed for the assertions.
/// </summary>
public sealed class ContainerCorpus : IDisposable
{
    // Valid archives.
    public const string DockerSave = "docker-save.tar";
    public const string OciLayout = "oci-layout.tar";
    public const string OciLayoutGz = "oci-layout.tar.gz";
    public const string MultiPlatformOciLayout = "oci-multi-platform.tar";
    public const string DockerSaveWithOciLayout = "docker-25-save.tar";

    // Broken archives.
    public const string TamperedLayerDockerSave = "tampered-layer-docker-save.tar";
    public const string MissingLayerDockerSave = "missing-layer-docker-save.tar";
    public const string MissingConfigDockerSave = "missing-config-docker-save.tar";
    public const string TamperedLayerOciLayout = "tampered-layer-oci-layout.tar";
    public const string MissingLayerOciLayout = "missing-layer-oci-layout.tar";
    public const string WrongSizeOciLayout = "wrong-size-oci-layout.tar";
    public const string TamperedSpareBlobOciLayout = "tampered-spare-blob-oci-layout.tar";
    public const string UnsafePathOciLayout = "unsafe-path-oci-layout.tar";
    public const string InvalidIndexOciLayout = "invalid-index-oci-layout.tar";
    public const string NeitherLayoutTar = "neither.tar";
    public const string ZipArchive = "image.zip";

    const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    const string IndexType = "application/vnd.oci.image.index.v1+json";
    const string ConfigType = "application/vnd.oci.image.config.v1+json";
    const string GzipLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";
    const string TarLayerType = "application/vnd.oci.image.layer.v1.tar";

    readonly byte[][] _layers;
    readonly byte[][] _gzipLayers;

    public ContainerCorpus()
    {
        Folder = Directory.CreateTempSubdirectory("imagemanager-containers-").FullName;
        _layers =
        [
            TestArchive.Tar(TestArchive.Folder("etc/"), TestArchive.File("etc/vnf.conf", "mode=fast\n")),
            TestArchive.Tar(TestArchive.Folder("usr/"), TestArchive.Folder("usr/bin/"), TestArchive.File("usr/bin/vnf", RandomNumberGenerator.GetBytes(4096))),
        ];
        _gzipLayers = [.. _layers.Select(TestArchive.Gzip)];
        DiffIds = [.. _layers.Select(Digest)];
        GzipLayerDigests = [.. _gzipLayers.Select(Digest)];
        GzipLayerSizes = [.. _gzipLayers.Select(layer => layer.Length)];
        LegacyLayerIds = [.. Enumerable.Range(1, 3).Select(i => Hex(TestArchive.Text($"legacy layer id {i}")))];

        WriteDockerSaves();
        WriteOciLayouts();
        Write(NeitherLayoutTar, TestArchive.Tar(TestArchive.File("readme.txt", "just a tar")));
        Write(ZipArchive, TestArchive.Zip(("manifest.json", TestArchive.Text("[]"))));
    }

    public string Folder { get; }

    /// <summary>sha256 digests of the uncompressed layer tars: the config's rootfs.diff_ids.</summary>
    public IReadOnlyList<string> DiffIds { get; }

    /// <summary>sha256 digests of the gzip-compressed layers, as an OCI layout stores them.</summary>
    public IReadOnlyList<string> GzipLayerDigests { get; }

    public IReadOnlyList<int> GzipLayerSizes { get; }

    /// <summary>The folders old docker save writes each layer in (the third shares the first's tar through a link).</summary>
    public IReadOnlyList<string> LegacyLayerIds { get; }

    public string DockerSaveConfigDigest { get; private set; } = "";
    public string OciManifestDigest { get; private set; } = "";
    public string WrongSizeManifestDigest { get; private set; } = "";
    public string MultiPlatformIndexDigest { get; private set; } = "";
    public string DockerSaveWithOciLayoutManifestDigest { get; private set; } = "";
    public string SpareBlobName { get; private set; } = "";

    public string PathOf(string name) => Path.Combine(Folder, name);

    public static string LegacyLayerPath(string id) => $"{id}/layer.tar";

    void WriteDockerSaves()
    {
        var config = Config([DiffIds[0], DiffIds[1], DiffIds[0]]);
        var configName = $"{Hex(config)}.json";
        DockerSaveConfigDigest = Digest(config);
        var files = new Dictionary<string, byte[]>
        {
            [$"{LegacyLayerIds[0]}/VERSION"] = TestArchive.Text("1.0"),
            [LegacyLayerPath(LegacyLayerIds[0])] = _layers[0],
            [$"{LegacyLayerIds[1]}/VERSION"] = TestArchive.Text("1.0"),
            [LegacyLayerPath(LegacyLayerIds[1])] = _layers[1],
            [configName] = config,
            ["manifest.json"] = Json(new[]
            {
                new { Config = configName, RepoTags = new[] { "vnf/agent:1.0" }, Layers = LegacyLayerIds.Select(LegacyLayerPath).ToArray() },
            }),
            ["repositories"] = Json(new Dictionary<string, Dictionary<string, string>> { ["vnf/agent"] = new() { ["1.0"] = LegacyLayerIds[2] } }),
        };

        Write(DockerSave, files, SharedLayerLink());
        Write(TamperedLayerDockerSave, new Dictionary<string, byte[]>(files) { [LegacyLayerPath(LegacyLayerIds[1])] = Tampered(_layers[1]) }, SharedLayerLink());
        Write(MissingLayerDockerSave, Without(files, LegacyLayerPath(LegacyLayerIds[1])), SharedLayerLink());
        Write(MissingConfigDockerSave, Without(files, configName), SharedLayerLink());
    }

    /// <summary>Older Docker links a layer it already wrote instead of writing it twice.</summary>
    TarEntry SharedLayerLink() => TestArchive.SymbolicLink(LegacyLayerPath(LegacyLayerIds[2]), $"../{LegacyLayerPath(LegacyLayerIds[0])}");

    void WriteOciLayouts()
    {
        var config = Config([DiffIds[0], DiffIds[1]]);
        var manifest = Manifest(config, _gzipLayers, GzipLayerType);
        OciManifestDigest = Digest(manifest);
        var files = OciLayoutFiles(Index(Descriptor(ManifestType, manifest)), [.. _gzipLayers, config, manifest]);
        Write(OciLayout, files);
        File.WriteAllBytes(PathOf(OciLayoutGz), TestArchive.Gzip(File.ReadAllBytes(PathOf(OciLayout))));

        Write(TamperedLayerOciLayout, new Dictionary<string, byte[]>(files) { [BlobPath(GzipLayerDigests[1])] = Tampered(_gzipLayers[1]) });

        Write(MissingLayerOciLayout, Without(files, BlobPath(GzipLayerDigests[1])));

        var wrongSize = Manifest(config, _gzipLayers, GzipLayerType, firstLayerSizeError: 1);
        WrongSizeManifestDigest = Digest(wrongSize);
        Write(WrongSizeOciLayout, OciLayoutFiles(Index(Descriptor(ManifestType, wrongSize)), [.. _gzipLayers, config, wrongSize]));

        var spare = TestArchive.Text("a blob no descriptor names");
        SpareBlobName = BlobPath(Digest(spare));
        Write(TamperedSpareBlobOciLayout, new Dictionary<string, byte[]>(files) { [SpareBlobName] = Tampered(spare) });

        Write(UnsafePathOciLayout, new Dictionary<string, byte[]>(files) { ["blobs/../../escape.sh"] = TestArchive.Text("rm -rf /") });
        Write(InvalidIndexOciLayout, new Dictionary<string, byte[]>(files) { ["index.json"] = TestArchive.Text("{\"schemaVersion\": 2, \"manifests\": [") });

        // index.json → a multi-platform image index → one manifest per platform, sharing the layers.
        var armConfig = Config([DiffIds[0], DiffIds[1]], architecture: "arm64");
        var armManifest = Manifest(armConfig, _gzipLayers, GzipLayerType);
        var platformIndex = Json(new
        {
            schemaVersion = 2,
            mediaType = IndexType,
            manifests = new[] { Descriptor(ManifestType, manifest), Descriptor(ManifestType, armManifest) },
        });
        MultiPlatformIndexDigest = Digest(platformIndex);
        Write(MultiPlatformOciLayout, OciLayoutFiles(Index(Descriptor(IndexType, platformIndex)), [.. _gzipLayers, config, manifest, armConfig, armManifest, platformIndex]));

        // Docker 25 and later: an OCI layout with uncompressed layers, plus docker save's manifest.json pointing into blobs/.
        var dockerManifest = Manifest(config, _layers, TarLayerType);
        DockerSaveWithOciLayoutManifestDigest = Digest(dockerManifest);
        var docker = OciLayoutFiles(Index(Descriptor(ManifestType, dockerManifest)), [.. _layers, config, dockerManifest]);
        docker["manifest.json"] = Json(new[]
        {
            new { Config = BlobPath(Digest(config)), RepoTags = new[] { "vnf/agent:1.0" }, Layers = DiffIds.Select(BlobPath).ToArray() },
        });
        Write(DockerSaveWithOciLayout, docker);
    }

    static Dictionary<string, byte[]> Without(Dictionary<string, byte[]> files, string name)
    {
        var fewer = new Dictionary<string, byte[]>(files);
        fewer.Remove(name);
        return fewer;
    }

    static Dictionary<string, byte[]> OciLayoutFiles(byte[] index, IEnumerable<byte[]> blobs)
    {
        var files = new Dictionary<string, byte[]> { ["oci-layout"] = Json(new { imageLayoutVersion = "1.0.0" }), ["index.json"] = index };
        foreach (var blob in blobs)
        {
            files[BlobPath(Digest(blob))] = blob;
        }

        return files;
    }

    static byte[] Config(string[] diffIds, string architecture = "amd64") => Json(new
    {
        architecture,
        os = "linux",
        config = new { Entrypoint = new[] { "/usr/bin/vnf" } },
        rootfs = new { type = "layers", diff_ids = diffIds },
    });

    static byte[] Manifest(byte[] config, byte[][] layers, string layerType, int firstLayerSizeError = 0) => Json(new
    {
        schemaVersion = 2,
        mediaType = ManifestType,
        config = Descriptor(ConfigType, config),
        layers = layers.Select((layer, i) => Descriptor(layerType, layer, i == 0 ? firstLayerSizeError : 0)).ToArray(),
    });

    static byte[] Index(object descriptor) => Json(new { schemaVersion = 2, mediaType = IndexType, manifests = new[] { descriptor } });

    static object Descriptor(string mediaType, byte[] blob, int sizeError = 0) =>
        new { mediaType, digest = Digest(blob), size = blob.Length + sizeError };

    static byte[] Tampered(byte[] bytes)
    {
        var tampered = (byte[])bytes.Clone();
        tampered[^1] ^= 0xff;
        return tampered;
    }

    public static string BlobPath(string digest) => $"blobs/sha256/{digest["sha256:".Length..]}";

    public static string Digest(byte[] bytes) => $"sha256:{Hex(bytes)}";

    static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    void Write(string name, Dictionary<string, byte[]> files, params TarEntry[] links) =>
        File.WriteAllBytes(PathOf(name), TestArchive.Tar([.. files.Select(file => TestArchive.File(file.Key, file.Value)), .. links]));

    void Write(string name, byte[] bytes) => File.WriteAllBytes(PathOf(name), bytes);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

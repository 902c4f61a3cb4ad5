using System.Text.RegularExpressions;
using ImageManager.Oci;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Containers;

/// <summary>
/// Verifies a <c>docker save</c> archive from what the archive walk kept: <c>manifest.json</c> parses and lists images;
/// each image's config and layers are in the archive (through the symbolic links older Docker writes for shared layers);
/// the config's <c>rootfs.diff_ids</c> has one digest per layer; a layer stored as an uncompressed tar hashes to its
/// diff_id; a file named by a digest (<c>blobs/sha256/…</c>, <c>&lt;id&gt;.json</c>) hashes to its name. A compressed
/// blob layer's diff_id is the digest of its uncompressed bytes and is not recomputed: its name is verified instead.
/// </summary>
public sealed partial class DockerSaveVerifier(ContainerArchiveContents contents, List<string> problems)
{
    /// <summary>Digests of the image configs, which are the image ids.</summary>
    public List<string> ConfigDigests { get; } = [];

    /// <summary>Digests of every verified layer, in manifest order.</summary>
    public List<string> LayerDigests { get; } = [];

    public void Verify()
    {
        if (contents.Find(ContainerArchivePaths.DockerSaveManifest) is not { } manifestFile ||
            contents.ReadDocument<List<DockerSaveImage>>(manifestFile, "manifest.json", problems) is not { } images)
        {
            return;
        }

        if (images.Count == 0)
        {
            problems.Add("manifest.json lists no images");
        }

        foreach (var image in images)
        {
            VerifyImage(image);
        }

        if (contents.Find("repositories") is { } repositories)
        {
            contents.ReadDocument<Dictionary<string, Dictionary<string, string>>>(repositories, "repositories", problems);
        }
    }

    void VerifyImage(DockerSaveImage image)
    {
        if (image.Config is null)
        {
            problems.Add("manifest.json lists an image without a Config");
            return;
        }

        if (contents.Find(image.Config) is not { } config)
        {
            problems.Add($"manifest.json names config {ReasonText.Quote(image.Config)} that is not in the archive");
            return;
        }

        CheckNamedDigest(config, "config");
        ConfigDigests.Add(Sha256Digest.Of(config.Sha256!));
        var what = $"config {ReasonText.Quote(image.Config)}";
        if (contents.ReadDocument<ImageConfig>(config, what, problems) is not { } imageConfig)
        {
            return;
        }

        var diffIds = imageConfig.RootFs?.DiffIds ?? [];
        var layers = image.Layers ?? [];
        if (layers.Count != diffIds.Count)
        {
            problems.Add($"manifest.json lists {layers.Count} layers for {what}, whose rootfs.diff_ids lists {diffIds.Count}");
        }

        for (var i = 0; i < layers.Count; i++)
        {
            VerifyLayer(layers[i], i < diffIds.Count ? diffIds[i] : null, i);
        }
    }

    void VerifyLayer(string path, string? diffId, int position)
    {
        if (contents.Find(path) is not { } layer)
        {
            problems.Add($"manifest.json names layer {ReasonText.Quote(path)} that is not in the archive");
            return;
        }

        if (!CheckNamedDigest(layer, "layer"))
        {
            return;
        }

        var digest = Sha256Digest.Of(layer.Sha256!);
        if (diffId is null || digest == diffId || (layer.Compression != ContainerFileCompression.None && ContainerArchivePaths.TryParseBlob(layer.Name, out _)))
        {
            LayerDigests.Add(digest);
            return;
        }

        problems.Add($"layer {ReasonText.Quote(path)} has digest {digest}, the config's rootfs.diff_ids[{position}] says {ReasonText.Quote(diffId)}");
    }

    /// <summary>A file whose name is a digest (<c>blobs/sha256/&lt;hex&gt;</c>, or an old config's <c>&lt;hex&gt;.json</c>) must hash to it.</summary>
    bool CheckNamedDigest(ContainerArchiveFile file, string role)
    {
        var hex = ContainerArchivePaths.TryParseBlob(file.Name, out var blobHex) ? blobHex
            : ConfigPath().Match(file.Name) is { Success: true } config ? config.Groups["hex"].Value
            : null;
        return hex is null ||
               contents.CheckDigest(file, hex,
                   () => $"{role} {file.Name} has digest {Sha256Digest.Of(file.Sha256!)}, its name says {Sha256Digest.Of(hex)}", problems);
    }

    [GeneratedRegex("^(?<hex>[0-9a-f]{64})\\.json$")]
    private static partial Regex ConfigPath();
}

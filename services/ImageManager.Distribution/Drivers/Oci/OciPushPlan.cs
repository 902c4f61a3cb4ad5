using System.Text.Json;
using ImageManager.Oci;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// What one container image archive becomes in a repository: the blobs (configs and layers, each once), and the
/// manifests in the order a registry accepts them, children before the index that names them; the last is the image,
/// which the tag points at. An OCI layout's documents are pushed byte for byte, so the digests stay the ones the
/// vendor published; a <c>docker save</c> archive gets a Docker image manifest v2 schema 2 built from its config and layers.
/// </summary>
public sealed class OciPushPlan
{
    const int MaxIndexDepth = 4;

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    readonly ContainerArchiveListing _archive;
    readonly List<OciBlob> _blobs = [];
    readonly List<OciManifestDocument> _manifests = [];

    OciPushPlan(ContainerArchiveListing archive) => _archive = archive;

    public IReadOnlyList<OciBlob> Blobs => _blobs;

    public IReadOnlyList<OciManifestDocument> Manifests => _manifests;

    /// <summary>The document the tag names: a manifest, or the index of a multi-platform image.</summary>
    public OciManifestDocument Image => _manifests[^1];

    /// <summary>The plan for an archive; an OCI layout wins when the archive is both (Docker 25 and later write both).</summary>
    public static OciPushPlan From(ContainerArchiveListing archive)
    {
        var plan = new OciPushPlan(archive);
        if (archive.Has(ContainerArchivePaths.OciLayout))
        {
            plan.FromOciLayout();
        }
        else if (archive.Has(ContainerArchivePaths.DockerSaveManifest))
        {
            plan.FromDockerSave();
        }
        else
        {
            throw new VimRejectedException("The container image is neither a docker save archive (no manifest.json) nor an OCI image layout (no oci-layout).");
        }

        return plan;
    }

    void FromOciLayout()
    {
        var indexFile = _archive.Find(ContainerArchivePaths.OciIndex) ?? throw new VimRejectedException("The OCI image layout has no index.json.");
        var index = Read<OciImageIndex>(indexFile.Json, "index.json");
        var entries = index.Manifests ?? [];
        switch (entries.Count)
        {
            case 0:
                throw new VimRejectedException("The OCI image layout's index.json names no image.");
            case 1:
                AddDocument(entries[0], "index.json's manifest", 0);
                break;
            default:
                // Several images in one layout: index.json is itself a valid image index, and the tag names all of them.
                foreach (var entry in entries)
                {
                    AddDocument(entry, "index.json's manifest", 1);
                }

                _manifests.Add(new OciManifestDocument(Sha256Digest.Compute(indexFile.Json), index.MediaType ?? OciMediaTypes.OciIndex, indexFile.Json!));
                break;
        }
    }

    void AddDocument(OciDescriptor descriptor, string what, int depth)
    {
        var file = BlobFile(descriptor, what);

        // Read as an index first: both kinds carry their mediaType, which says which of the two the document is.
        var index = Read<OciImageIndex>(file.Json, what);
        var mediaType = descriptor.MediaType ?? index.MediaType;
        if (OciMediaTypes.IsIndex(mediaType))
        {
            if (depth >= MaxIndexDepth)
            {
                throw new VimRejectedException($"Index {descriptor.Digest} is nested deeper than {MaxIndexDepth} indexes.");
            }

            foreach (var child in index.Manifests ?? [])
            {
                AddDocument(child, $"a manifest of index {descriptor.Digest}", depth + 1);
            }
        }
        else if (OciMediaTypes.IsManifest(mediaType))
        {
            var document = Read<OciImageManifest>(file.Json, what);
            AddBlob(document.Config ?? throw new VimRejectedException($"Manifest {descriptor.Digest} has no config."), $"the config of manifest {descriptor.Digest}");
            foreach (var layer in document.Layers ?? [])
            {
                AddBlob(layer, $"a layer of manifest {descriptor.Digest}");
            }
        }
        else
        {
            throw new VimRejectedException($"{what} ({descriptor.Digest}) has media type '{mediaType}', which is neither an image manifest nor an image index.");
        }

        if (_manifests.All(m => m.Digest != descriptor.Digest))
        {
            _manifests.Add(new OciManifestDocument(descriptor.Digest!, mediaType!, file.Json!));
        }
    }

    void AddBlob(OciDescriptor descriptor, string what)
    {
        var file = BlobFile(descriptor, what);
        if (_blobs.All(b => b.Digest != descriptor.Digest))
        {
            _blobs.Add(new OciBlob(descriptor.Digest!, file.Length, file.Name));
        }
    }

    ContainerArchiveFile BlobFile(OciDescriptor descriptor, string what)
    {
        if (descriptor.Digest is not { } digest || !Sha256Digest.TryParse(digest, out var hex))
        {
            throw new VimRejectedException($"{what} has digest '{descriptor.Digest}'; this driver pushes sha256 digests.");
        }

        var file = _archive.Find(ContainerArchivePaths.Blob(hex))
            ?? throw new VimRejectedException($"{what} ({digest}) is not in the OCI image layout.");
        return descriptor.Size is { } size && size != file.Length
            ? throw new VimRejectedException($"{what} ({digest}) is {file.Length} bytes, its descriptor says {size}.")
            : file;
    }

    void FromDockerSave()
    {
        var images = Read<List<DockerSaveImage>>(_archive.Find(ContainerArchivePaths.DockerSaveManifest)?.Json, "manifest.json");
        if (images.Count != 1)
        {
            throw new VimRejectedException($"The docker save archive holds {images.Count} images; an image of the catalogue is pushed as one.");
        }

        var image = images[0];
        var configFile = image.Config is null ? null : _archive.Find(image.Config);
        if (configFile?.Json is not { } config)
        {
            throw new VimRejectedException($"The docker save archive's config '{image.Config}' is not in it as a JSON document.");
        }

        var configDigest = Sha256Digest.Compute(config);
        _blobs.Add(new OciBlob(configDigest, config.Length, configFile.Name));
        var diffIds = Read<ImageConfig>(config, "the image config").RootFs?.DiffIds ?? [];
        var layers = new List<object>();
        var paths = image.Layers ?? [];
        for (var i = 0; i < paths.Count; i++)
        {
            var file = _archive.Find(paths[i]) ?? throw new VimRejectedException($"The docker save archive's layer '{paths[i]}' is not in it.");

            // A layer stored as blobs/sha256/<hex> is named by its digest; an uncompressed layer's digest is its diff_id
            // (Validation proved both). The registry checks the digest again as the bytes arrive.
            var gzip = file.Compression == ContainerFileCompression.Gzip;
            var digest = ContainerArchivePaths.TryParseBlob(file.Name, out var hex) ? Sha256Digest.Of(hex)
                : !gzip && i < diffIds.Count ? diffIds[i]
                : null;
            if (!Sha256Digest.IsDigest(digest))
            {
                throw new VimRejectedException($"The digest of the docker save archive's layer '{paths[i]}' is not known from its name or the config's rootfs.diff_ids.");
            }

            if (_blobs.All(b => b.Digest != digest))
            {
                _blobs.Add(new OciBlob(digest, file.Length, file.Name));
            }

            layers.Add(new { mediaType = gzip ? OciMediaTypes.DockerGzipLayer : OciMediaTypes.DockerLayer, size = file.Length, digest });
        }

        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciMediaTypes.DockerManifest,
            config = new { mediaType = OciMediaTypes.DockerConfig, size = config.Length, digest = configDigest },
            layers,
        });
        _manifests.Add(new OciManifestDocument(Sha256Digest.Compute(manifest), OciMediaTypes.DockerManifest, manifest));
    }

    static T Read<T>(byte[]? json, string what)
        where T : class
    {
        if (json is null)
        {
            throw new VimRejectedException($"{what} is missing or not a JSON document of at most {ContainerArchiveListing.MaxJsonDocumentBytes >> 20} MiB.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOptions) ?? throw new VimRejectedException($"{what} is JSON null.");
        }
        catch (JsonException exception)
        {
            throw new VimRejectedException($"{what} is not valid JSON: {exception.Message}");
        }
    }
}

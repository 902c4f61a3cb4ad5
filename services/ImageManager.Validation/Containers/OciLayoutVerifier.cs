using System.Globalization;
using ImageManager.Oci;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Containers;

/// <summary>
/// Verifies an OCI image layout from what the archive walk kept: <c>oci-layout</c> says version 1.x; <c>index.json</c>
/// parses and lists manifests; every descriptor, from the index down through nested indexes and manifests to configs and
/// layers, names a blob that is in the archive, with the size and the digest the descriptor says; and every blob's name
/// is its content's SHA-256, referenced or not.
/// </summary>
public sealed class OciLayoutVerifier(ContainerArchiveContents contents, List<string> problems)
{
    const int MaxIndexDepth = 4; // index.json → a multi-platform index → manifests is 2; more is not a real image

    readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    /// <summary>Digests of the manifests <c>index.json</c> lists (what a registry would be pushed).</summary>
    public List<string> ManifestDigests { get; } = [];

    /// <summary>Digests of every verified layer, in manifest order.</summary>
    public List<string> LayerDigests { get; } = [];

    public void Verify()
    {
        if (contents.Find(ContainerArchivePaths.OciLayout) is { } layoutFile &&
            contents.ReadDocument<OciLayoutFile>(layoutFile, "oci-layout", problems) is { } layout &&
            layout.ImageLayoutVersion?.StartsWith("1.", StringComparison.Ordinal) != true)
        {
            problems.Add($"oci-layout says imageLayoutVersion {ReasonText.Quote(layout.ImageLayoutVersion ?? "")}, not 1.x");
        }

        if (contents.Find(ContainerArchivePaths.OciIndex) is not { } indexFile)
        {
            problems.Add("the OCI image layout has no index.json");
        }
        else if (contents.ReadDocument<OciImageIndex>(indexFile, "index.json", problems) is { } index)
        {
            if (index.SchemaVersion != 2)
            {
                problems.Add($"index.json has schemaVersion {index.SchemaVersion?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, not 2");
            }

            if (index.Manifests is not { Count: > 0 } manifests)
            {
                problems.Add("index.json lists no manifests");
            }
            else
            {
                foreach (var descriptor in manifests)
                {
                    if (VerifyDescriptor(descriptor, "index.json", "manifest") is { } blob)
                    {
                        ManifestDigests.Add(descriptor.Digest!);
                        VerifyDocument(descriptor, blob, "index.json", depth: 1);
                    }
                }
            }
        }

        CheckBlobNames();
    }

    /// <summary>The blob a descriptor names, when it is there with the digest and size the descriptor says; null (and the problem) otherwise.</summary>
    ContainerArchiveFile? VerifyDescriptor(OciDescriptor? descriptor, string referrer, string role)
    {
        if (descriptor is null || !Sha256Digest.TryParse(descriptor.Digest, out var hex))
        {
            problems.Add($"{referrer} names a {role} whose digest {ReasonText.Quote(descriptor?.Digest ?? "")} is not a sha256 digest");
            return null;
        }

        var path = ContainerArchivePaths.Blob(hex);
        _referenced.Add(path);
        if (contents.Find(path) is not { } blob)
        {
            problems.Add($"{referrer} names {role} {descriptor.Digest} that is not in the archive (no {path})");
            return null;
        }

        if (!contents.CheckDigest(blob, hex, () => $"{role} {path} has digest {Sha256Digest.Of(blob.Sha256!)}, {referrer} says {descriptor.Digest}", problems))
        {
            return null;
        }

        if (descriptor.Size != blob.Length)
        {
            problems.Add($"{role} {path} has {blob.Length} bytes, {referrer} says {descriptor.Size?.ToString(CultureInfo.InvariantCulture) ?? "no size"}");
            return null;
        }

        return blob;
    }

    /// <summary>Follows a manifest to its config and layers, or an index to its manifests.</summary>
    void VerifyDocument(OciDescriptor descriptor, ContainerArchiveFile blob, string referrer, int depth)
    {
        var what = $"{(OciMediaTypes.IsIndex(descriptor.MediaType) ? "index" : "manifest")} {descriptor.Digest}";
        if (descriptor.MediaType is null)
        {
            problems.Add($"{referrer} names {what} without a mediaType");
        }
        else if (OciMediaTypes.IsIndex(descriptor.MediaType))
        {
            if (depth > MaxIndexDepth)
            {
                problems.Add($"{what} nests image indexes more than {MaxIndexDepth} deep");
                return;
            }

            foreach (var child in contents.ReadDocument<OciImageIndex>(blob, what, problems)?.Manifests ?? [])
            {
                if (VerifyDescriptor(child, what, "manifest") is { } childBlob)
                {
                    VerifyDocument(child, childBlob, what, depth + 1);
                }
            }
        }
        else if (OciMediaTypes.IsManifest(descriptor.MediaType) && contents.ReadDocument<OciImageManifest>(blob, what, problems) is { } manifest)
        {
            if (manifest.Config is null)
            {
                problems.Add($"{what} has no config");
            }
            else
            {
                VerifyDescriptor(manifest.Config, what, "config");
            }

            foreach (var layer in manifest.Layers ?? [])
            {
                if (VerifyDescriptor(layer, what, "layer") is not null)
                {
                    LayerDigests.Add(layer.Digest!);
                }
            }
        }
    }

    /// <summary>Blobs no descriptor named still must be what their names say, or a registry would refuse them.</summary>
    void CheckBlobNames()
    {
        foreach (var file in contents.Files.Where(file => file.Name.StartsWith(ContainerArchivePaths.BlobFolder, StringComparison.Ordinal) && !_referenced.Contains(file.Name)))
        {
            if (!ContainerArchivePaths.TryParseBlob(file.Name, out var hex))
            {
                problems.Add($"{ReasonText.Quote(file.Name)} is not a blob this service can verify (blobs/sha256/<64 hex digits>)");
            }
            else if (!contents.DigestReported(file.Name))
            {
                contents.CheckDigest(file, hex, () => $"blob {file.Name} has digest {Sha256Digest.Of(file.Sha256!)}, its name says {Sha256Digest.Of(hex)}", problems);
            }
        }
    }
}

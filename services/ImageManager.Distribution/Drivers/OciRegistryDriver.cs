using ImageManager.Contracts.Images;
using ImageManager.Distribution.Drivers.Oci;
using ImageManager.Distribution.Images;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// A container registry speaking the OCI distribution API. It holds container images, and Helm charts as OCI artifacts
/// (<see cref="HelmChartArtifact"/>). A container image goes to repository <see cref="OciNames.Repository"/> (its name,
/// under the VIM's tenant as a namespace) with its version as the tag: each blob is checked (<c>HEAD</c>), mounted from
/// another repository of the registry known to hold it, or uploaded (one <c>PUT</c>, or chunks for large blobs), streamed
/// from the archive; then the manifests, children before the index that names them; then the tag must resolve to our
/// digest. The VIM's image id is <c>repository@sha256:…</c>, the manifest digest.
/// </summary>
public sealed class OciRegistryDriver(IOptions<OciRegistryOptions> options, TimeProvider clock) : IVimDriver
{
    /// <summary>A software package Validation found to be a Helm chart (Validation's <c>PackageTypes.HelmChart</c>).</summary>
    public const string HelmChartType = "helm-chart";

    readonly OciTokenCache _tokens = new(clock);
    readonly OciBlobLocations _locations = new();

    public string VimType => "oci-registry";

    /// <summary>Registries hold images and charts; a disk image or another package would only sit there as an opaque blob.</summary>
    public bool Takes(string kind, string? detectedType) =>
        kind == ImageKinds.ContainerImage || (kind == ImageKinds.SoftwarePackage && detectedType == HelmChartType);

    public string Holds => "container images and Helm charts (software packages of type helm-chart)";

    public async Task<VimUploadResult> EnsurePresentAsync(VimUpload upload, CancellationToken cancellationToken)
    {
        var image = upload.Image;
        if (!Takes(image.Kind, image.DetectedType))
        {
            throw new VimRejectedException(VimTypeFit.WhyNot(this, image.Kind, image.DetectedType));
        }

        var open = upload.OpenContent;
        var vim = upload.Connection.Vim;
        var artifact = image.Kind == ImageKinds.ContainerImage
            ? ContainerImage(OciPushPlan.From(await ContainerArchiveReader.ReadAsync(open, cancellationToken)), image, open)
            : await HelmChartArtifact.ReadAsync(open, image, cancellationToken);
        var registry = new OciRegistryClient(upload.Connection, _tokens);
        var repository = OciNames.Repository(artifact.Name, vim.Tenant);
        var tag = OciNames.Tag(artifact.Version);
        var digest = artifact.Image.Digest;
        var vimImageId = OciNames.ImageId(repository, digest);

        if (await registry.ManifestDigestAsync(repository, digest, cancellationToken) is not null
            && await registry.ManifestDigestAsync(repository, tag, cancellationToken) == digest
            && await upload.Copies.ChooseExistingAsync([vimImageId], cancellationToken) is { } found)
        {
            return new VimUploadResult(found, 0, AlreadyPresent: true);
        }

        // Names are unique per tenant, not across tenants: on a registry namespace that two tenants share, the tag of
        // another tenant's image is not moved to this one (its users would pull this image under their name).
        if (await registry.ManifestDigestAsync(repository, tag, cancellationToken) is { } tagged && tagged != digest
            && await upload.Copies.IsAnotherOwnersAsync(OciNames.ImageId(repository, tagged), cancellationToken))
        {
            throw new VimRejectedException(
                $"{repository}:{tag} on this registry is another tenant's image, put there by Image Manager: a name and version are unique per tenant, " +
                "so tenants that share a registry namespace do not take each other's tags. Give each tenant its own namespace (the VIM's tenant), or use another version.");
        }

        // The manifest's id is fixed by its digest: recorded before the first blob goes, so a purge meanwhile finds it.
        await upload.Copies.ClaimAsync(vimImageId, cancellationToken);

        // Blobs to send, by path in the image's bytes; a refused mount has already opened the upload session.
        var missing = new Dictionary<string, (OciBlob Blob, Uri? Session)>(StringComparer.Ordinal);
        foreach (var blob in artifact.Blobs)
        {
            if (await registry.BlobExistsAsync(repository, blob.Digest, cancellationToken))
            {
                _locations.Remember(vim.Endpoint, blob.Digest, repository);
                continue;
            }

            Uri? session = null;
            if (_locations.Find(vim.Endpoint, blob.Digest) is { } source && source != repository)
            {
                session = await registry.StartUploadAsync(repository, blob.Digest, source, cancellationToken);
                if (session is null)
                {
                    _locations.Remember(vim.Endpoint, blob.Digest, repository); // mounted: the registry linked it, no bytes sent
                    continue;
                }
            }

            missing.TryAdd(blob.Path, (blob, session));
        }

        long sent = 0;
        if (missing.Count > 0)
        {
            // The blob's stream is not disposed here: it may be an archive entry, and the walk goes on from it.
            await artifact.StreamBlobsAsync(missing.Keys.ToHashSet(), async (path, data) =>
            {
                var (blob, opened) = missing[path];
                var session = opened ?? await registry.StartUploadAsync(repository, null, null, cancellationToken)
                    ?? throw new VimRejectedException($"The registry answered the start of an upload to {repository} as a mount.");
                if (blob.Size > options.Value.MonolithicUploadMaxBytes)
                {
                    await registry.UploadChunkedAsync(session, repository, blob, data, options.Value.ChunkSizeBytes, cancellationToken);
                }
                else
                {
                    await registry.UploadMonolithicAsync(session, repository, blob, data, cancellationToken);
                }

                sent += blob.Size;
                _locations.Remember(vim.Endpoint, blob.Digest, repository);
            }, cancellationToken);
        }

        foreach (var manifest in artifact.Manifests)
        {
            var stored = await registry.PutManifestAsync(repository, manifest == artifact.Image ? tag : manifest.Digest, manifest, cancellationToken);
            sent += manifest.Content.Length;
            if (stored != manifest.Digest)
            {
                throw new VimRejectedException($"The registry stored manifest {manifest.Digest} of {repository} as {stored}.");
            }
        }

        await upload.OnVerifying();
        var served = await registry.ManifestDigestAsync(repository, tag, cancellationToken);
        if (served != digest)
        {
            throw new VimRejectedException($"The registry serves {repository}:{tag} as {served ?? "nothing"}, not the pushed manifest {digest}.");
        }

        return new VimUploadResult(vimImageId, sent);
    }

    /// <summary>The archive's blobs, streamed in archive order; the entry's stream is not disposed, as the walk goes on from it.</summary>
    static OciArtifact ContainerImage(OciPushPlan plan, DistributableImage image, Func<Stream> open) =>
        new(image.Name, image.Version, plan.Blobs, plan.Manifests,
            (wanted, onBlob, cancellationToken) => ContainerArchiveReader.WalkAsync(open, wanted, onBlob, cancellationToken));

    public async Task<VimImagePresence> CheckPresentAsync(VimConnection vim, string vimImageId, DistributableImage image, CancellationToken cancellationToken)
    {
        var (repository, digest) = Parse(vimImageId);
        var served = await new OciRegistryClient(vim, _tokens).ManifestDigestAsync(repository, digest, cancellationToken);
        return served is null ? VimImagePresence.Drifted($"The registry has no manifest {digest} in {repository}.")
            : served != digest ? VimImagePresence.Drifted($"The registry serves {vimImageId} as {served}.")
            : VimImagePresence.Present;
    }

    public string? CannotDeactivate => "An OCI registry cannot deactivate an image (a manifest is there or it is not); recall with action 'remove' to take it off.";

    public Task<bool> DeactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) =>
        throw new VimRejectedException(CannotDeactivate!);

    public Task<bool> ReactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) =>
        throw new VimRejectedException(CannotDeactivate!);

    public async Task RemoveAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken)
    {
        var (repository, digest) = Parse(vimImageId);
        await new OciRegistryClient(vim, _tokens).DeleteManifestAsync(repository, digest, cancellationToken);
    }

    public Task ProbeAsync(VimConnection vim, CancellationToken cancellationToken) =>
        new OciRegistryClient(vim, _tokens).PingAsync(cancellationToken);

    static (string Repository, string Digest) Parse(string vimImageId) =>
        OciNames.ParseImageId(vimImageId) ?? throw new VimRejectedException($"'{vimImageId}' is not an image id of an oci-registry VIM (repository@sha256:…).");
}

using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Containers;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Inspects the stored bytes of a container image (see <see cref="ContainerImageInspector"/>): a safe archive whose
/// manifests, configs and layers are all there and all what they say. The bytes stay in the content-addressed blob
/// store, so the verified layers can later be pushed to a registry as they are.
/// </summary>
public sealed class ContainerImageCheck(IBlobStore blobs, ContainerImageInspector inspector)
{
    const int MaxReportedProblems = 10;

    public async Task<ContainerImageVerdict> RunAsync(ImageUploaded upload, CancellationToken cancellationToken)
    {
        await using var content = await blobs.OpenReadAsync(upload.Sha256, cancellationToken);
        if (content is null)
        {
            return ContainerImageVerdict.Fail($"The uploaded bytes (sha256 {upload.Sha256}) are missing from the blob store.");
        }

        var inspection = await inspector.InspectAsync(content, upload.ContainerFormat, cancellationToken);
        if (inspection.Acceptable)
        {
            return ContainerImageVerdict.Pass(inspection.Layout!, inspection.ManifestDigests, inspection.LayerDigests);
        }

        var problems = inspection.Problems;
        var shown = string.Join("; ", problems.Take(MaxReportedProblems));
        var more = problems.Count > MaxReportedProblems ? $"; and {problems.Count - MaxReportedProblems} more problems" : "";
        return ContainerImageVerdict.Fail($"The container image was refused: {shown}{more}.");
    }
}

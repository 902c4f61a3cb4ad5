using ImageManager.Oci;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Formats;
using ImageManager.Validation.Packages;

namespace ImageManager.Validation.Containers;

/// <summary>
/// Inspects a container image archive: a <c>docker save</c> archive or an OCI image layout, as a tar (or a gzip-compressed
/// one). One pass walks the archive with the archive safety rules while hashing every file, keeping nothing but digests
/// and small JSON documents; then the manifests are checked against what was found (<see cref="DockerSaveVerifier"/>,
/// <see cref="OciLayoutVerifier"/>), and the declared containerFormat against the layout: <c>oci</c> needs an OCI layout,
/// <c>docker</c> needs docker save's <c>manifest.json</c> (Docker 25 and later write both).
/// </summary>
public sealed class ContainerImageInspector(ArchiveReader archives)
{
    public const string Docker = "docker";
    public const string Oci = "oci";

    /// <summary>Inspects a container image archive's bytes; <paramref name="content"/> must be seekable.</summary>
    public async Task<ContainerInspection> InspectAsync(Stream content, string? declaredFormat, CancellationToken cancellationToken)
    {
        if (declaredFormat is not (Docker or Oci))
        {
            return ContainerInspection.Refused(
                $"its containerFormat is {(declaredFormat is null ? "not given" : ReasonText.Quote(declaredFormat))}; a container image is {Docker} or {Oci}");
        }

        var type = await PackageTypeDetector.DetectAsync(content, cancellationToken);
        ArchiveFormat? format = type switch
        {
            PackageTypes.Tar => ArchiveFormat.Tar,
            PackageTypes.TarGz => ArchiveFormat.GzipTar,
            _ => null,
        };
        if (format is null)
        {
            return ContainerInspection.Refused($"a docker save archive or an OCI image layout is a tar, but the bytes are {type}");
        }

        var contents = new ContainerArchiveContents();
        var reading = await archives.ReadAsync(content, format.Value, contents.AddAsync, cancellationToken: cancellationToken);
        return reading.Problem is { } unsafeArchive ? ContainerInspection.Refused(unsafeArchive) : Verify(contents, declaredFormat);
    }

    static ContainerInspection Verify(ContainerArchiveContents contents, string declaredFormat)
    {
        var isOciLayout = contents.Has(ContainerArchivePaths.OciLayout);
        var isDockerSave = contents.Has(ContainerArchivePaths.DockerSaveManifest);
        if (!isOciLayout && !isDockerSave)
        {
            return ContainerInspection.Refused("the archive is neither a docker save archive (no manifest.json) nor an OCI image layout (no oci-layout file)");
        }

        var layout = isOciLayout
            ? isDockerSave ? ContainerLayouts.DockerSaveWithOciLayout : ContainerLayouts.OciLayout
            : ContainerLayouts.DockerSave;
        var problems = new List<string>();
        if (declaredFormat == Oci && !isOciLayout)
        {
            problems.Add("containerFormat oci was declared, but the archive is a docker save archive without an OCI image layout (no oci-layout file)");
        }

        if (declaredFormat == Docker && !isDockerSave)
        {
            problems.Add("containerFormat docker was declared, but the archive is an OCI image layout without docker save's manifest.json; declare oci");
        }

        var oci = new OciLayoutVerifier(contents, problems);
        if (isOciLayout)
        {
            oci.Verify();
        }

        var docker = new DockerSaveVerifier(contents, problems);
        if (isDockerSave)
        {
            docker.Verify();
        }

        if (problems.Count > 0)
        {
            return new ContainerInspection(layout, problems, [], []);
        }

        return isOciLayout
            ? new ContainerInspection(layout, [], oci.ManifestDigests, oci.LayerDigests.Distinct().ToList())
            : new ContainerInspection(layout, [], docker.ConfigDigests, docker.LayerDigests.Distinct().ToList());
    }
}

using ImageManager.Validation.Archives;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Decides what a software package's bytes are from their magic numbers, and walks every archive among them (tar, plain
/// or compressed with gzip, xz, bzip2 or zstd; Helm chart; zip; a deb's control and data tars; an rpm's cpio payload)
/// with the archive safety rules; a zip that is an ETSI SOL004 CSAR has its manifest's digests checked. A single
/// compressed file is decompressed to its end within the expansion limits. Bytes that claim an archive or compression
/// format but are truncated or corrupt are refused; bytes that claim none are a binary, acceptable with their checksums alone.
/// </summary>
public sealed class PackageInspector(ArchiveReader archives, DebPackageInspector debs, RpmPackageInspector rpms)
{
    /// <summary>Inspects a package's bytes; <paramref name="content"/> must be seekable.</summary>
    public async Task<PackageInspection> InspectAsync(Stream content, CancellationToken cancellationToken)
    {
        var type = await PackageTypeDetector.DetectAsync(content, cancellationToken);
        var helmChart = new HelmChartLayout();
        var csar = new CsarLayout();
        var problem = type switch
        {
            PackageTypes.TarGz => (await archives.ReadAsync(content, ArchiveFormat.GzipTar, helmChart.AddAsync, cancellationToken: cancellationToken)).Problem,
            PackageTypes.TarXz => (await archives.ReadAsync(content, ArchiveFormat.XzTar, cancellationToken: cancellationToken)).Problem,
            PackageTypes.TarBz2 => (await archives.ReadAsync(content, ArchiveFormat.Bzip2Tar, cancellationToken: cancellationToken)).Problem,
            PackageTypes.TarZst => (await archives.ReadAsync(content, ArchiveFormat.ZstdTar, cancellationToken: cancellationToken)).Problem,
            PackageTypes.Tar => (await archives.ReadAsync(content, ArchiveFormat.Tar, cancellationToken: cancellationToken)).Problem,
            PackageTypes.Zip => (await archives.ReadAsync(content, ArchiveFormat.Zip, csar.AddAsync, cancellationToken: cancellationToken)).Problem
                ?? (csar.IsCsar ? csar.FindProblem() : null),
            PackageTypes.Gzip => (await archives.ReadAsync(content, ArchiveFormat.Gzip, cancellationToken: cancellationToken)).Problem,
            PackageTypes.Xz => (await archives.ReadAsync(content, ArchiveFormat.Xz, cancellationToken: cancellationToken)).Problem,
            PackageTypes.Bzip2 => (await archives.ReadAsync(content, ArchiveFormat.Bzip2, cancellationToken: cancellationToken)).Problem,
            PackageTypes.Zstd => (await archives.ReadAsync(content, ArchiveFormat.Zstd, cancellationToken: cancellationToken)).Problem,
            PackageTypes.Deb => await debs.FindProblemAsync(content, cancellationToken),
            PackageTypes.Rpm => await rpms.FindProblemAsync(content, cancellationToken),
            _ => null,
        };

        var detected = type switch
        {
            PackageTypes.TarGz when helmChart.IsChart => PackageTypes.HelmChart,
            PackageTypes.Zip when csar.IsCsar => PackageTypes.Csar,
            _ => type,
        };
        return detected == PackageTypes.Csar && problem is null
            ? new PackageInspection(detected, problem, csar.Images, csar)
            : new PackageInspection(detected, problem, []) { SignedCsar = type == PackageTypes.Zip && problem is null && csar.SignedCsarPath is not null ? csar : null };
    }
}

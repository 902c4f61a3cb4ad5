namespace ImageManager.Validation.Packages;

/// <summary>What a software package's bytes are, as <see cref="PackageTypeDetector"/> names them (and <c>ImageValidated.DetectedType</c> carries).</summary>
public static class PackageTypes
{
    public const string TarGz = "tar.gz";
    public const string TarXz = "tar.xz";
    public const string TarBz2 = "tar.bz2";
    public const string TarZst = "tar.zst";
    public const string HelmChart = "helm-chart";
    public const string Tar = "tar";
    public const string Zip = "zip";

    /// <summary>An ETSI SOL004 VNF package: a zip with <c>TOSCA-Metadata/TOSCA.meta</c> or a root manifest (<c>.mf</c>).</summary>
    public const string Csar = "csar";
    public const string Rpm = "rpm";
    public const string Deb = "deb";

    /// <summary>One gzip-compressed file that is not a tar.</summary>
    public const string Gzip = "gzip";

    /// <summary>One xz-compressed file that is not a tar.</summary>
    public const string Xz = "xz";

    /// <summary>One bzip2-compressed file that is not a tar.</summary>
    public const string Bzip2 = "bzip2";

    /// <summary>One zstd-compressed file that is not a tar.</summary>
    public const string Zstd = "zstd";

    /// <summary>Anything else: allowed, only checksummed.</summary>
    public const string Binary = "binary";
}

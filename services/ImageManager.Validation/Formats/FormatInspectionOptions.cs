using System.ComponentModel.DataAnnotations;

namespace ImageManager.Validation.Formats;

/// <summary>Bound from the <c>FormatInspection</c> section; limits on the disk an image describes.</summary>
public sealed class FormatInspectionOptions
{
    public const string Section = "FormatInspection";

    /// <summary>
    /// Largest virtual size accepted. 2 TiB is the most a VHD can describe and far above any network-function image;
    /// a larger claim is more likely meant to make every VIM allocate a huge volume than a real disk.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxVirtualSizeBytes { get; set; } = 2L << 40;

    /// <summary>
    /// Largest accepted ratio of virtual size to file size. Sparse formats are legitimately tiny: an empty 10 GiB qcow2
    /// is about 200 KiB (≈ 53 000 : 1) and an empty 2 TiB one, the emptiest image at the default cap, about 225 KiB
    /// (≈ 9.6 million : 1); vhd, vdi, vmdk and vhdx stay under 600 000 : 1 because their block tables grow with the
    /// disk. Ten million accepts all of those and still refuses a header that claims terabytes from a few kilobytes.
    /// Raise it together with <see cref="MaxVirtualSizeBytes"/>.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxVirtualToFileSizeRatio { get; set; } = 10_000_000;
}

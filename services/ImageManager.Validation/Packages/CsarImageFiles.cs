using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Which files of a CSAR are disk images, by the extensions vendors give them, and the format an extension promises
/// (<c>.img</c> and <c>.raw</c> promise none: cloud images named <c>.img</c> are as often qcow2 as raw).
/// </summary>
public static class CsarImageFiles
{
    static readonly Dictionary<string, string?> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".qcow2"] = DiskFormatNames.Qcow2,
        [".vmdk"] = DiskFormatNames.Vmdk,
        [".vhd"] = DiskFormatNames.Vhd,
        [".vhdx"] = DiskFormatNames.Vhdx,
        [".vdi"] = DiskFormatNames.Vdi,
        [".iso"] = DiskFormatNames.Iso,
        [".img"] = null,
        [".raw"] = null,
    };

    public static bool IsDiskImage(string path) =>
        !path.StartsWith("TOSCA-Metadata/", StringComparison.Ordinal) && Extensions.ContainsKey(Path.GetExtension(path));

    public static string? PromisedFormat(string path) => Extensions.GetValueOrDefault(Path.GetExtension(path));
}

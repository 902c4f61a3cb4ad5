namespace ImageManager.Validation.Formats;

/// <summary>Disk formats as the catalogue spells them (Glance's <c>disk_format</c> values).</summary>
public static class DiskFormatNames
{
    public const string Qcow2 = "qcow2";
    public const string Raw = "raw";
    public const string Vmdk = "vmdk";
    public const string Vhd = "vhd";
    public const string Vhdx = "vhdx";
    public const string Vdi = "vdi";
    public const string Iso = "iso";

    /// <summary>"a qcow2 image", "an iso image", or what raw bytes are: words for a reason a person reads.</summary>
    public static string Describe(string format) => format switch
    {
        Raw => "raw (no known disk image signature)",
        Iso => "an iso image",
        _ => $"a {format} image",
    };
}

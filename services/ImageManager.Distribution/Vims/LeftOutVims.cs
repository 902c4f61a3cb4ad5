namespace ImageManager.Distribution.Vims;

/// <summary>How many VIMs of one type a selector chose that do not take the image (they are not targets), and why.</summary>
public sealed record LeftOutVims(string VimType, int Count, string Reason)
{
    /// <summary>"2 VIM(s) of type 'oci-registry': A VIM of type 'oci-registry' does not take a vm-image; …"</summary>
    public static string Describe(IEnumerable<LeftOutVims> leftOut) =>
        string.Join(" ", leftOut.Select(v => $"{v.Count} VIM(s) of type '{v.VimType}': {v.Reason}"));
}

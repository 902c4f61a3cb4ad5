using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Vims;

/// <summary>A search of the registry (<c>GET /vims</c>, <c>GET /fleet/vims</c>) as the selector a distribution would send with it.</summary>
public static class VimSearch
{
    public static VimSelector Selector(string? idPrefix, string? region, string? tag, string? health) =>
        string.IsNullOrEmpty(idPrefix) && region is null && tag is null && health is null
            ? new VimSelector { All = true }
            : new VimSelector { IdPrefix = string.IsNullOrEmpty(idPrefix) ? null : idPrefix, Region = region, Tags = tag is null ? null : [tag], Health = health };
}

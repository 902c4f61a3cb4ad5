using System.ComponentModel.DataAnnotations;

namespace ImageManager.Api.Downstream;

/// <summary>Where the services that own the data answer. Bound from the <c>Downstream</c> section.</summary>
public sealed class DownstreamOptions
{
    public const string Section = "Downstream";

    [Required]
    public Uri? Catalog { get; set; }

    [Required]
    public Uri? Distribution { get; set; }

    [Required]
    public Uri? Notifications { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Where the Catalog answers, as the Api's <c>Downstream</c> section names it: a distribution asks it whether its requester
/// may see the image and whether the image is active. Bound from <c>Downstream</c>.
/// </summary>
public sealed class CatalogAccessOptions
{
    public const string Section = "Downstream";

    [Required]
    public Uri? Catalog { get; set; }
}

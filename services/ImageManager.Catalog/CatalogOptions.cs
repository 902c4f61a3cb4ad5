using System.ComponentModel.DataAnnotations;

namespace ImageManager.Catalog;

/// <summary>Bound from the <c>Catalog</c> section.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>MariaDB server version, fixed so that start-up does not need the database to be reachable.</summary>
    [Required]
    public string MariaDbVersion { get; set; } = "10.11.0";
}

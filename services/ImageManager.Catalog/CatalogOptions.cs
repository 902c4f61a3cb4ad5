using System.ComponentModel.DataAnnotations;

namespace ImageManager.Catalog;

/// <summary>Bound from the <c>Catalog</c> section.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>MariaDB server version, fixed so that start-up does not need the database to be reachable.</summary>
    [Required]
    public string MariaDbVersion { get; set; } = "10.11.0";

    /// <summary>
    /// An image still <c>validating</c> this long after its last change gets its <c>ImageUploaded</c> published again:
    /// the first one may have been lost between the catalogue's record and the broker. Long enough for Validation to
    /// re-read a very large image (about 3 minutes for 100 GiB here).
    /// </summary>
    public TimeSpan RevalidateAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the catalogue looks for such images.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often (besides at start) the catalogue looks for images whose end of life has passed, to announce them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan EndOfLifeSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the outbox is looked at when nothing signalled new events (a replica's events wake only its own dispatcher).</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

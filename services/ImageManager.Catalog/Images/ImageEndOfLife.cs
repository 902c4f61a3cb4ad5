using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;

namespace ImageManager.Catalog.Images;

/// <summary>
/// An image's <c>endOfLife</c> is the last day it lives (UTC): from the next day on it is past it, left out of
/// <c>latest</c>, refused for new distributions unless forced, and announced once by <see cref="ImageReachedEndOfLife"/>.
/// </summary>
public static class ImageEndOfLife
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static bool Reached(DateOnly? endOfLife, DateTimeOffset now) => endOfLife is { } last && last < DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>Only images that were (or are) in use are announced: one never validated has no one to tell.</summary>
    public static bool Announced(string status) => status is ImageStatuses.Active or ImageStatuses.Deactivated;

    /// <summary>
    /// Queues the announcement in <paramref name="db"/> (saved with the caller's change) when the image is past its end of
    /// life and it was not announced yet. <paramref name="dateChanged"/>: a date moved into the future (or removed) brings
    /// the image back to life, so its next end is announced again; moved from one past date to another, it stays announced.
    /// </summary>
    public static bool AnnounceIfReached(CatalogDbContext db, CatalogImage image, DateTimeOffset now, bool dateChanged = false)
    {
        if (dateChanged && !Reached(image.EndOfLife, now))
        {
            image.EndOfLifeAnnouncedAt = null;
        }

        if (image.EndOfLifeAnnouncedAt is not null || !Announced(image.Status) || !Reached(image.EndOfLife, now))
        {
            return false;
        }

        image.EndOfLifeAnnouncedAt = now;
        db.QueueEvent(new ImageReachedEndOfLife
        {
            ImageId = image.Id,
            Kind = image.Kind,
            Name = image.Name,
            Version = image.Version,
            Owner = image.Owner,
            EndOfLife = image.EndOfLife!.Value,
            ReachedAt = now,
        }, now);
        return true;
    }
}

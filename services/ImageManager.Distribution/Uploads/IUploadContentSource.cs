using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// Where an upload reads the image's bytes: the blob store in a central replica (<see cref="CentralUploadContent"/>), the
/// region's hub in a regional one (<see cref="Regions.HubUploadContent"/>). Each says in the target's record which way
/// the bytes came (<c>hub</c>, <c>hubFallback</c>) when it is not the plain central way.
/// </summary>
public interface IUploadContentSource
{
    /// <summary>Whether the bytes can be had at all (a missing blob fails the target at once, never retried).</summary>
    Task<bool> ExistsAsync(DistributableImage image, CancellationToken cancellationToken);

    /// <summary>
    /// Chooses the way for this attempt, records it, and gives the opener the drivers call (again for each of their own
    /// retries) for a stream of the image's bytes.
    /// </summary>
    Task<Func<Stream>> OpenerAsync(TargetDelivery delivery, Vim vim, DistributableImage image, CancellationToken cancellationToken);
}

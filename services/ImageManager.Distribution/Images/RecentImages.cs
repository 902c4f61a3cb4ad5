using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace ImageManager.Distribution.Images;

/// <summary>
/// The images uploads are about, kept for two seconds: ten thousand uploads of one image read its row a few times,
/// not ten thousand. Short enough that a deactivation reaches the uploads that start after it within moments (the
/// ones already under way finish either way). An image not found is not kept: it may be recorded any moment.
/// </summary>
public sealed class RecentImages(IMemoryCache cache)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    public async Task<DistributableImage?> FindAsync(DistributionDbContext db, Guid imageId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(imageId, out DistributableImage? image))
        {
            return image;
        }

        image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == imageId, cancellationToken);
        if (image is not null)
        {
            cache.Set(imageId, image, Lifetime);
        }

        return image;
    }
}

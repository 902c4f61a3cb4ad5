using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Uploads;

namespace ImageManager.Distribution.Regions;

public static class RegionServiceExtensions
{
    /// <summary>
    /// The choice of an upload's queue (every replica sends uploads: the start, the dispatcher), and where the uploads read
    /// the image: the blob store in a central replica, the region's hub in one placed in <paramref name="region"/>.
    /// </summary>
    public static IHostApplicationBuilder AddRegionalUploads(this IHostApplicationBuilder builder, string? region)
    {
        builder.Services.AddSingleton<UploadRouting>();
        if (region is null)
        {
            builder.Services.AddSingleton<IUploadContentSource, CentralUploadContent>();
            return builder;
        }

        builder.Services.AddSingleton<IUploadContentSource, HubUploadContent>();
        // Its pushes leave through the region's link, not the centre's: the central uplink budget does not pace them (a
        // VIM's own cap still does). What it reads from the centre is paced by the Api, which serves the hub's misses.
        builder.Services.PostConfigure<BudgetOptions>(budgets => budgets.UplinkBytesPerSecond = null);
        // The upload's own timeout bounds the read (Distribution:UploadTimeout); a read of many GiB must not end at 100 s.
        builder.Services.AddHttpClient(HubUploadContent.ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        return builder;
    }
}

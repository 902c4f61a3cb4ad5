using ImageManager.Catalog.Persistence;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Catalog.Images;

/// <summary>
/// Which images a caller may see and change. An image belongs to its owner's tenant: <c>private</c> ones are seen by
/// that tenant only, <c>shared</c> ones also by the tenants named, <c>public</c> ones by everyone; only the owner's
/// tenant changes them. Operators (and the Api acting on its own, with no caller) see and change every tenant's.
/// </summary>
public static class TenantAccess
{
    public static IQueryable<CatalogImage> VisibleTo(this IQueryable<CatalogImage> images, CatalogDbContext db, ForwardedCaller? caller)
    {
        if (caller is null || caller.SeesEveryTenant)
        {
            return images;
        }

        var tenant = caller.Tenant;
        return images.Where(i => i.Owner == tenant || i.Visibility == ImageVisibilities.Public
                                 || (i.Visibility == ImageVisibilities.Shared && db.Shares.Any(s => s.ImageId == i.Id && s.Tenant == tenant)));
    }

    /// <summary>For an image loaded with its shares.</summary>
    public static bool MaySee(CatalogImage image, ForwardedCaller? caller) =>
        caller is null || caller.SeesEveryTenant || image.Owner == caller.Tenant || image.Visibility == ImageVisibilities.Public
        || (image.Visibility == ImageVisibilities.Shared && image.Shares.Any(s => s.Tenant == caller.Tenant));

    public static bool MayChange(CatalogImage image, ForwardedCaller? caller) =>
        caller is null || caller.SeesEveryTenant || image.Owner == caller.Tenant;

    public static IResult NotOwner(CatalogImage image, ForwardedCaller caller) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: $"Image {image.Id} belongs to tenant '{image.Owner}'; tenant '{caller.Tenant}' may use it but not change it (an operator may).");
}

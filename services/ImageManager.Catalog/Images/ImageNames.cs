using ImageManager.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// The rule for an image's kind + name + version: unique among the images of its owning tenant, and unique among public
/// images. A name belongs to the tenant that uses it: another tenant's private images neither block it nor are revealed
/// by a refusal, which only names what the caller can see (its own images and public ones). Public images are shown to
/// everyone under their names, so there is one public "vfw 2.1.0" and a name that everyone reads means one image. A tenant
/// may keep a private or shared image with the name of another tenant's public one: in its own view its own comes first
/// (<c>version=latest</c> resolves within the caller's tenant, see <see cref="LatestOwnerAmbiguousException"/>). Images without an owner
/// (made before tenants) are a tenant of their own. The database enforces both (generated scope columns, unique indexes).
/// </summary>
public static class ImageNames
{
    /// <summary>Shadow property: the owner, or '' for none (so that images without an owner are unique among themselves too).</summary>
    public const string OwnerScope = "OwnerScope";

    /// <summary>Shadow property: 1 for a public image, NULL otherwise (a NULL is never a duplicate in a unique index).</summary>
    public const string PublicScope = "PublicScope";

    /// <summary>
    /// Why an image of <paramref name="owner"/> with <paramref name="visibility"/> cannot be called so (a 409's detail),
    /// or null when it can; <paramref name="excluding"/> is the image itself when it changes.
    /// </summary>
    public static async Task<string?> ClashAsync(
        CatalogDbContext db, string kind, string name, string version, string? owner, string visibility, Guid? excluding, CancellationToken cancellationToken)
    {
        var same = db.Images.AsNoTracking().Where(i => i.Kind == kind && i.Name == name && i.Version == version && i.Id != excluding);
        var owned = owner is null ? same.Where(i => i.Owner == null) : same.Where(i => i.Owner == owner);
        if (await owned.AnyAsync(cancellationToken))
        {
            return owner is null
                ? $"A {kind} named '{name}' with version '{version}' already exists."
                : $"A {kind} named '{name}' with version '{version}' already exists in tenant '{owner}'; a tenant's images are unique by kind, name and version.";
        }

        if (visibility == ImageVisibilities.Public
            && await same.Where(i => i.Visibility == ImageVisibilities.Public).Select(i => new { i.Owner }).FirstOrDefaultAsync(cancellationToken) is { } other)
        {
            return $"A public {kind} named '{name}' with version '{version}' already exists (of tenant '{other.Owner}'); public images are unique by kind, " +
                   "name and version, as everyone sees them under those: choose another version, or keep this image private or shared.";
        }

        return null;
    }
}

namespace ImageManager.Catalog.Images;

/// <summary>
/// <c>version=latest</c> without <c>owner</c>, where the candidates the caller sees belong to several tenants (none of them
/// the caller's): names are unique per tenant, so these may be different products, and the newest of them all means nothing.
/// </summary>
public sealed class LatestOwnerAmbiguousException(IReadOnlyList<string> owners)
    : Exception($"version=latest is ambiguous: images of several tenants you can see have this name ({string.Join(", ", owners.Select(o => $"'{o}'"))}); add owner= to choose whose latest.")
{
    public IReadOnlyList<string> Owners { get; } = owners;
}

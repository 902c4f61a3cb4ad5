using ImageManager.Contracts.ApiKeys;

namespace ImageManager.Catalog.ApiKeys;

/// <summary>How <see cref="ApiKeyResource"/>, the API's shape (in the contracts), is made from what this service stores.</summary>
public static class ApiKeyResourceMapping
{
    extension(ApiKeyResource)
    {
        public static ApiKeyResource From(ApiKey key) => new(
            key.Id, key.Name, key.Tenant, key.Roles.Split(','), key.CreatedAt, key.CreatedBy, key.ExpiresAt, key.RevokedAt, key.RevokedBy);
    }
}

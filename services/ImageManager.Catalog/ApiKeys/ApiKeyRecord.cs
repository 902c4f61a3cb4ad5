namespace ImageManager.Catalog.ApiKeys;

/// <summary>What the Api needs to check a presented key: for the Api only, over the internal route.</summary>
public sealed record ApiKeyRecord(string Id, string Tenant, string[] Roles, string SecretSha256, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyRecord From(ApiKey key) => new(key.Id, key.Tenant, key.Roles.Split(','), key.SecretSha256, key.ExpiresAt, key.RevokedAt);
}

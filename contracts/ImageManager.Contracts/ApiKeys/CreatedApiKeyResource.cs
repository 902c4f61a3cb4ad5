namespace ImageManager.Contracts.ApiKeys;

/// <summary>Answer of <c>POST /api/v1/api-keys</c>: the new key, with its secret <see cref="Key"/> shown this once.</summary>
public sealed record CreatedApiKeyResource(
    string Id, string Name, string Tenant, string[] Roles, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ExpiresAt, string Key, string KeyNote);

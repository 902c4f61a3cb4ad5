namespace ImageManager.Api.Access;

/// <summary>A key as the Catalog keeps it: the hash of its secret, never the secret.</summary>
public sealed record ApiKeyRecord(string Id, string Tenant, string[] Roles, string SecretSha256, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

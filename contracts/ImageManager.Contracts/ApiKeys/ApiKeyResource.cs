namespace ImageManager.Contracts.ApiKeys;

/// <summary>A key as the API shows it: never its secret or the secret's hash.</summary>
public sealed record ApiKeyResource(
    string Id, string Name, string Tenant, string[] Roles, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, string? RevokedBy);

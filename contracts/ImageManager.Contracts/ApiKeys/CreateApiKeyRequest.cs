namespace ImageManager.Contracts.ApiKeys;

/// <summary>A new key: a name people recognise, the tenant it acts for, its roles, and optionally when it expires (default 90 days).</summary>
public sealed record CreateApiKeyRequest(string? Name, string? Tenant, string[]? Roles, DateTimeOffset? ExpiresAt);

namespace ImageManager.Catalog.ApiKeys;

/// <summary>A caller's key: who it stands for (tenant, roles), until when, and only the hash of its secret.</summary>
public sealed class ApiKey
{
    /// <summary>The public part of the key (<c>imk_{id}_…</c>).</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Tenant { get; set; }

    /// <summary>Comma-separated role names, as given (each includes the roles below it).</summary>
    public required string Roles { get; set; }
    public required string SecretSha256 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}

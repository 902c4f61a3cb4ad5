namespace ImageManager.Contracts.ApiKeys;

/// <summary>Answer of <c>GET /api/v1/api-keys</c>: the keys, oldest first (never their secrets).</summary>
public sealed record ApiKeyListResource(IReadOnlyList<ApiKeyResource> ApiKeys);

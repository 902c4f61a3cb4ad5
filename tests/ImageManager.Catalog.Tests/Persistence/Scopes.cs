namespace ImageManager.Catalog.Tests.Persistence;

/// <summary>An image's name and the name scopes the database computes for it (owner_scope, public_scope).</summary>
public sealed record Scopes(string Name, string OwnerScope, bool? PublicScope);

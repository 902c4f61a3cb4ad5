
namespace ImageManager.VimSimulator;

/// <summary>A bearer token a simulated registry's token service issued: for which registry, granting which <c>repository:action</c> pairs, until when.</summary>
public sealed record SimulatedToken(string Vim, IReadOnlySet<string> Grants, DateTimeOffset ExpiresAt);

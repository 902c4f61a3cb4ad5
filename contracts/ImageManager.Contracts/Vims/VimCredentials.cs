namespace ImageManager.Contracts.Vims;

/// <summary>
/// What a driver needs to log in to a VIM. Which members matter depends on the VIM type: Keystone v3 takes a user
/// (<see cref="Username"/>, <see cref="Password"/>, domains, project) or an application credential; an OCI registry
/// takes <see cref="Username"/> and <see cref="Password"/> (basic, or exchanged for a bearer token) or a ready
/// <see cref="Token"/>. Stored encrypted by the Distribution service, accepted by the API, never shown by it.
/// </summary>
public sealed record VimCredentials
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? UserDomain { get; init; }
    public string? ProjectName { get; init; }
    public string? ProjectDomain { get; init; }
    public string? ApplicationCredentialId { get; init; }
    public string? ApplicationCredentialSecret { get; init; }
    public string? Token { get; init; }

    /// <summary>Never the values: a record's generated <c>ToString</c> would print every secret into a log line.</summary>
    public override string ToString() => "VimCredentials { *** }";
}

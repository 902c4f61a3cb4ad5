namespace ImageManager.VimSimulator;

/// <summary>
/// How a simulated registry wants to be authenticated: <see cref="SimulatedRegistryAuthMode.Basic"/> (every request carries the user and
/// password) or <see cref="SimulatedRegistryAuthMode.Bearer"/> (every request carries a token from the registry's token service, which takes the
/// user and password when <see cref="Username"/> is set and is anonymous otherwise; tokens last <see cref="TokenLifetime"/>).
/// </summary>
public sealed record SimulatedRegistryAuth
{
    public required SimulatedRegistryAuthMode Mode { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);
}

namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Chooses target VIMs by what they are rather than by name: every registered VIM (<see cref="All"/>), or those whose
/// id starts with <see cref="IdPrefix"/>, in <see cref="Region"/>, that carry every one of <see cref="Tags"/> and are in
/// <see cref="Health"/> state (healthy, unhealthy, unknown); the criteria given all apply. Resolved once, when the
/// distribution starts; <c>GET /vims</c> and <c>GET /fleet/vims</c> take the same criteria, so what a search showed is
/// what the selector sends to.
/// </summary>
public record VimSelector
{
    public bool All { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? IdPrefix { get; init; }
    public string? Health { get; init; }
}

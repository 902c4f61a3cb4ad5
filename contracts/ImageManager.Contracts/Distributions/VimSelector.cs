namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Chooses target VIMs by what they are rather than by name: every registered VIM (<see cref="All"/>), or those in
/// <see cref="Region"/> that carry every one of <see cref="Tags"/>. Resolved once, when the distribution starts.
/// </summary>
public record VimSelector
{
    public bool All { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

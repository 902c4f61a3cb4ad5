using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// The Api's question before it accepts a distribution: are these VIMs (<see cref="VimIds"/>, or those
/// <see cref="Selector"/> chooses) registered, and does their type take an image of <see cref="Kind"/> and
/// <see cref="DetectedType"/>? Without a kind, only the first.
/// </summary>
public sealed record VimCheckRequest
{
    public IReadOnlyList<string>? VimIds { get; init; }
    public VimSelector? Selector { get; init; }
    public string? Kind { get; init; }
    public string? DetectedType { get; init; }
}

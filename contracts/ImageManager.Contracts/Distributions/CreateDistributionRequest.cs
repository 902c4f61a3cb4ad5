namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Body of <c>POST /api/v1/distributions</c>: the image, its targets (<see cref="VimIds"/> and/or a <see cref="Selector"/>),
/// and how to roll out (<see cref="Strategy"/>, optional: everything at once). The Api documents it and forwards it; the
/// Distribution service binds and checks it. Every member is optional here so that a missing one gets a readable refusal
/// naming it, not a bare 400 from the binder.
/// </summary>
public sealed record CreateDistributionRequest
{
    public Guid? ImageId { get; init; }
    public IReadOnlyList<string>? VimIds { get; init; }
    public VimSelector? Selector { get; init; }
    public DistributionStrategy? Strategy { get; init; }

    /// <summary>
    /// Distribute even an image past its end of life or whose trust was withdrawn: operators only (anyone else sending
    /// <c>true</c> is refused with 403).
    /// </summary>
    public bool? Force { get; init; }
}

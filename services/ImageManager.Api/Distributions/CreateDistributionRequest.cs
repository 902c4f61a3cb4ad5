using ImageManager.Contracts.Distributions;

namespace ImageManager.Api.Distributions;

/// <summary>
/// Body of <c>POST /api/v1/distributions</c>: the image, its targets (<see cref="VimIds"/> and/or a <see cref="Selector"/>),
/// and how to roll out (<see cref="Strategy"/>, optional: everything at once).
/// </summary>
public sealed record CreateDistributionRequest
{
    public Guid? ImageId { get; init; }
    public IReadOnlyList<string>? VimIds { get; init; }
    public VimSelector? Selector { get; init; }
    public DistributionStrategy? Strategy { get; init; }
}

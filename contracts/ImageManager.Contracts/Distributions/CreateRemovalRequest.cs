namespace ImageManager.Contracts.Distributions;

/// <summary>Body of <c>POST /api/v1/removals</c>: the image, and the VIMs to take it off (<see cref="VimIds"/> and/or a <see cref="Selector"/>).</summary>
public sealed record CreateRemovalRequest
{
    public Guid? ImageId { get; init; }
    public IReadOnlyList<string>? VimIds { get; init; }
    public VimSelector? Selector { get; init; }
}

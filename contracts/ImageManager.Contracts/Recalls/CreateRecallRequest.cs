using ImageManager.Contracts.Distributions;

namespace ImageManager.Contracts.Recalls;

/// <summary>
/// Body of <c>POST /api/v1/recalls</c>: the image, why, and what to do (<see cref="RecallActions"/>) on every VIM where Image
/// Manager recorded a copy of it, optionally narrowed to <see cref="VimIds"/> and/or a <see cref="Selector"/>.
/// <see cref="SuccessorImageId"/> is required for <c>replace</c>. <see cref="DryRun"/> (or <c>?dryRun=true</c>) only lists
/// what the recall would touch.
/// </summary>
public sealed record CreateRecallRequest
{
    public Guid? ImageId { get; init; }
    public RecallReason? Reason { get; init; }
    public string? Action { get; init; }
    public Guid? SuccessorImageId { get; init; }
    public IReadOnlyList<string>? VimIds { get; init; }
    public VimSelector? Selector { get; init; }
    public bool? DryRun { get; init; }
}

namespace ImageManager.Contracts.Distributions;

/// <summary>
/// How a distribution rolls out. <see cref="MaxParallel"/>: targets uploading at once (absent: all). <see cref="CanarySize"/>:
/// a first wave of that many targets that must all finish before the rest start. <see cref="MaxFailures"/>: once more
/// targets than this have failed, the targets not yet started are cancelled. <see cref="Deadline"/>: targets not
/// started by then are cancelled; a distribution whose estimate says some targets cannot start before it is refused
/// (422) unless <see cref="AllowUnmetDeadline"/> is true, when it is accepted with a warning. Every member is optional.
/// </summary>
public record DistributionStrategy
{
    public int? MaxParallel { get; init; }
    public int? CanarySize { get; init; }
    public int? MaxFailures { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public bool? AllowUnmetDeadline { get; init; }
}

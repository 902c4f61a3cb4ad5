namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Deactivate the image's copies on one VIM, as one target of a deactivation (<see cref="DistributionKinds.Deactivation"/>):
/// only copies Image Manager created that no other catalogue image relies on; the copies stay on the VIM.
/// </summary>
public sealed record DeactivateImageOnVim
{
    public required Guid DeactivationId { get; init; }
    public required Guid ImageId { get; init; }
    public required string VimId { get; init; }
}

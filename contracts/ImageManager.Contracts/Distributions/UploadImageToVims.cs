namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Put one image on several VIMs, as targets of one distribution: each as an <see cref="UploadImageToVim"/> would, side
/// by side in the replica that takes the command. A distribution starts its targets a few dozen to a command: ten
/// thousand commands of one target cost the broker and the service more than the uploads of healthy VIMs themselves.
/// A target that must wait (its VIM busy or unavailable) or be tried again goes on as an <see cref="UploadImageToVim"/>
/// of its own.
/// </summary>
public record UploadImageToVims
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required IReadOnlyList<string> VimIds { get; init; }
}

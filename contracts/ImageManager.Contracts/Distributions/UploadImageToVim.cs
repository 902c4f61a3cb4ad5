namespace ImageManager.Contracts.Distributions;

/// <summary>Put one image on one VIM, as one target of a distribution.</summary>
public record UploadImageToVim
{
    public required Guid DistributionId { get; init; }
    public required Guid ImageId { get; init; }
    public required string VimId { get; init; }
}

namespace ImageManager.Contracts.Distributions;

/// <summary>An image as one VIM knows it: the VIM and the VIM's own id of the image.</summary>
public record VimImageReference
{
    public required string VimId { get; init; }
    public string? VimImageId { get; init; }
}

namespace ImageManager.Contracts.Distributions;

/// <summary>Delete one image from one VIM, as one target of a removal (see <see cref="RemoveImageFromVims"/>).</summary>
public record RemoveImageFromVim
{
    public required Guid RemovalId { get; init; }
    public required Guid ImageId { get; init; }
    public required string VimId { get; init; }
    public string? VimImageId { get; init; }
}

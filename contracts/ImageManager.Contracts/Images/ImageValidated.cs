namespace ImageManager.Contracts.Images;

/// <summary>Validation passed: the image may be distributed. Carries what distribution needs, so it never asks the catalogue.</summary>
public record ImageValidated
{
    public required Guid ImageId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required string Sha512 { get; init; }

    /// <summary>Size of the disk the image describes, read from its header (for raw, its length); null when the format records none.</summary>
    public long? VirtualSizeBytes { get; init; }

    public required DateTimeOffset ValidatedAt { get; init; }
}

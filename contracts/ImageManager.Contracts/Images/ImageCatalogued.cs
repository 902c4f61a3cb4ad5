namespace ImageManager.Contracts.Images;

/// <summary>A new image entered the catalogue (status <c>queued</c>, or <c>validating</c> for one taken out of a package).</summary>
public record ImageCatalogued
{
    public required Guid ImageId { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Vendor { get; init; }
    public required string Status { get; init; }
    public required string Visibility { get; init; }
    public string? Owner { get; init; }

    /// <summary>The package it was taken from, if any.</summary>
    public Guid? PackageId { get; init; }
    public required DateTimeOffset CataloguedAt { get; init; }
}

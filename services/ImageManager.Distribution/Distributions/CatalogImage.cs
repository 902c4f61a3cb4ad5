namespace ImageManager.Distribution.Distributions;

/// <summary>The fields of a catalogue image a distribution is checked against.</summary>
public sealed record CatalogImage(Guid Id, string Kind, string Status, string? DetectedType);

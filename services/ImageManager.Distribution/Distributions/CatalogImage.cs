namespace ImageManager.Distribution.Distributions;

/// <summary>
/// The fields of a catalogue image a distribution is checked against: what it is, whether it is active, and whether it
/// may still be distributed without force (its end of life, the trust of its signature: <c>trusted</c>, <c>withdrawn</c>).
/// </summary>
public sealed record CatalogImage(
    Guid Id, string Kind, string Status, string? DetectedType,
    string? Name = null, string? Version = null, DateOnly? EndOfLife = null, string? Trust = null, string? TrustWithdrawnReason = null);

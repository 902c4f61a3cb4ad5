namespace ImageManager.Validation.Packages;

/// <summary>One <c>Source</c> / <c>Algorithm</c> / <c>Hash</c> block of a SOL004 manifest.</summary>
public sealed record CsarManifestEntry(string Source, string? Algorithm, string? Hash);

namespace ImageManager.Validation.Packages;

/// <summary>
/// One <c>Source</c> / <c>Algorithm</c> / <c>Hash</c> block of a SOL004 manifest, with the artifact's own
/// <c>Signature</c> (a file of the package holding a CMS signature over the artifact) and <c>Certificate</c>, when given.
/// </summary>
public sealed record CsarManifestEntry(string Source, string? Algorithm, string? Hash, string? Signature = null, string? Certificate = null);

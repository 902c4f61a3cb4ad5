namespace ImageManager.Validation.Packages;

/// <summary>A disk image inside a CSAR, with the digests measured as the zip was walked and the manifest entry that vouches for it.</summary>
public sealed record CsarImage(string Path, string Sha256, string Sha512, string ManifestAlgorithm, string ManifestHash);

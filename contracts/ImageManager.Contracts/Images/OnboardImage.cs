namespace ImageManager.Contracts.Images;

/// <summary>
/// SDC onboards an image: Image Manager catalogues it under <see cref="OnboardingId"/> (which becomes the image id,
/// so a redelivered message changes nothing), fetches <see cref="SourceUri"/> like a <c>web-download</c> import, and
/// validates it like an upload. Answered by <see cref="ImageOnboarded"/> or <see cref="ImageOnboardingRefused"/>
/// (as a response when sent as a request, and published in any case); validation then ends in
/// <see cref="ImageValidated"/> or <see cref="ImageRejected"/>, an import failure in <see cref="ImageImportFailed"/>.
/// See docs/sdc-onboarding.md.
/// </summary>
public record OnboardImage
{
    public required Guid OnboardingId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public string? Vendor { get; init; }
    public string? Description { get; init; }
    public string? DiskFormat { get; init; }
    public string? ContainerFormat { get; init; }
    public string? Sha256 { get; init; }
    public string? Sha512 { get; init; }
    public DeclaredSignature? Signature { get; init; }
    public required Uri SourceUri { get; init; }
}

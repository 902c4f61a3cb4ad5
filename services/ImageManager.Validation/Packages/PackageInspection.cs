namespace ImageManager.Validation.Packages;

/// <summary>
/// What a package's bytes are (one of <see cref="PackageTypes"/>), the reason to refuse them (null when acceptable),
/// and, for a CSAR, the disk images its manifest vouches for and what its SOL004 signature needs (<see cref="Csar"/>).
/// </summary>
public sealed record PackageInspection(string Type, string? Problem, IReadOnlyList<CsarImage> Images, CsarLayout? Csar = null)
{
    /// <summary>A zip holding a signed CSAR (SOL004's second option): the zip's layout, whose <see cref="CsarLayout.SignedCsarPath"/> is the CSAR.</summary>
    public CsarLayout? SignedCsar { get; init; }

    public bool Acceptable => Problem is null;
}

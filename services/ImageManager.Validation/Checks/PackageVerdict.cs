namespace ImageManager.Validation.Checks;

/// <summary>The result of the package check: passed or not, why not, and what the bytes were found to be.</summary>
public sealed record PackageVerdict(bool Passed, string? Reason, string? DetectedType)
{
    public static PackageVerdict Pass(string detectedType) => new(true, null, detectedType);

    public static PackageVerdict Fail(string reason, string? detectedType = null) => new(false, reason, detectedType);
}

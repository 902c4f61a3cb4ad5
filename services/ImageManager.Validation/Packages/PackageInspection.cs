namespace ImageManager.Validation.Packages;

/// <summary>What a package's bytes are (one of <see cref="PackageTypes"/>), and the reason to refuse them (null when acceptable).</summary>
public sealed record PackageInspection(string Type, string? Problem)
{
    public bool Acceptable => Problem is null;
}

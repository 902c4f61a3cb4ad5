using ImageManager.Contracts.Images;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Which VIM types take an image, asked of the drivers (<see cref="IVimDriver.Takes"/>): the rule lives with each driver,
/// so a new VIM type declares its own; a type without a driver takes nothing. The refusals are written for a person.
/// </summary>
public sealed class VimTypeFit(IEnumerable<IVimDriver> drivers)
{
    readonly IReadOnlyList<IVimDriver> _drivers = [.. drivers];

    /// <summary>The VIM types whose driver takes this image.</summary>
    public IReadOnlyList<string> TypesTaking(string kind, string? detectedType) =>
        [.. _drivers.Where(d => d.Takes(kind, detectedType)).Select(d => d.VimType)];

    public bool Takes(string vimType, string kind, string? detectedType) =>
        _drivers.Any(d => d.VimType == vimType && d.Takes(kind, detectedType));

    /// <summary>Why a VIM of <paramref name="vimType"/> is no place for this image.</summary>
    public string WhyNot(string vimType, string kind, string? detectedType) =>
        _drivers.FirstOrDefault(d => d.VimType == vimType) is { } driver
            ? WhyNot(driver, kind, detectedType)
            : $"VIM type '{vimType}' has no driver, so it takes no {Describe(kind, detectedType)}.";

    public static string WhyNot(IVimDriver driver, string kind, string? detectedType) =>
        $"A VIM of type '{driver.VimType}' does not take a {Describe(kind, detectedType)}; it takes {driver.Holds}.";

    /// <summary><c>vm-image</c>, or <c>software-package (tar.gz)</c>: a package's type decides where it may go.</summary>
    public static string Describe(string kind, string? detectedType) =>
        kind == ImageKinds.SoftwarePackage && detectedType is not null ? $"{kind} ({detectedType})" : kind;
}

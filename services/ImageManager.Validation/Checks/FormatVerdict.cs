using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Checks;

/// <summary>The result of the format check: passed or not, why not, and what the bytes were found to be (when inspected).</summary>
public sealed record FormatVerdict(bool Passed, string? Reason, FormatInspection? Inspection)
{
    /// <summary>Nothing to inspect: the upload is not a VM image.</summary>
    public static FormatVerdict NotApplicable { get; } = new(true, null, null);

    public static FormatVerdict Pass(FormatInspection inspection) => new(true, null, inspection);

    public static FormatVerdict Fail(string reason, FormatInspection? inspection = null) => new(false, reason, inspection);
}

namespace ImageManager.Validation.Formats;

/// <summary>
/// What the bytes of an image are: the detected <see cref="Format"/>, the size of the disk they describe when the
/// format records one, and every reason found to refuse them (empty when the image is acceptable).
/// </summary>
public sealed record FormatInspection(string Format, long? VirtualSizeBytes, IReadOnlyList<string> Problems)
{
    public bool Acceptable => Problems.Count == 0;
}

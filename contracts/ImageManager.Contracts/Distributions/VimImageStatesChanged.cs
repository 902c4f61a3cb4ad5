namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Several image-VIM pairs moved: the uploads of one Distribution replica report their steps and ends together, what
/// ended while the previous report was on its way in the next, so that ten thousand targets are a few hundred messages,
/// not ten thousand. Each change means what it would as a <see cref="VimImageStateChanged"/> of its own. Subscribers
/// that follow pairs read <see cref="VimImageStatesRecorded"/>, which carries what was recorded from these and from the
/// single changes alike. At least once: a report may come again.
/// </summary>
public record VimImageStatesChanged
{
    public required IReadOnlyList<VimImageStateChanged> Changes { get; init; }
}

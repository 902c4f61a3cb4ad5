namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Distribution recorded a batch of <see cref="VimImageStateChanged"/> on its targets: for each pair in the batch, the
/// furthest change. The Catalog keeps its image-VIM read model from these, a batch per message, rather than from every
/// single change (ten thousand targets report thirty thousand of those). At least once: a batch may come again.
/// </summary>
public record VimImageStatesRecorded
{
    public required IReadOnlyList<VimImageStateChanged> Changes { get; init; }
}

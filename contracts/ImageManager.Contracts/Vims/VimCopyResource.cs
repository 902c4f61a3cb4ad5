namespace ImageManager.Contracts.Vims;

/// <summary>
/// A copy on a VIM that Image Manager made or found: whether it made it and for which image, its state (creating,
/// present, removing, removed, forgotten), what the VIM last said when it would not delete it, and the images that rely on it.
/// </summary>
public sealed record VimCopyResource(
    string VimImageId, bool CreatedByImageManager, Guid? CreatedForImageId, string State, string? LastError, IReadOnlyList<VimCopyReliance> ReliedOnBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

namespace ImageManager.Contracts.Recalls;

/// <summary>
/// Answer of a dry run (<c>POST /api/v1/recalls?dryRun=true</c>, 200): what the recall would touch, nothing changed. The
/// VIMs that hold the image, the tenants whose distributions put it there (null stands for Image Manager's own), and for
/// <c>replace</c> which of those VIMs already hold the successor.
/// </summary>
public sealed record RecallDryRunResource(
    Guid ImageId,
    string Action,
    Guid? SuccessorImageId,
    IReadOnlyList<string> VimIds,
    IReadOnlyList<string?> Tenants,
    IReadOnlyList<string> SuccessorPresentVimIds);

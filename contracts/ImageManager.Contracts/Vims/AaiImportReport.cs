namespace ImageManager.Contracts.Vims;

/// <summary>
/// One import from A&amp;AI: where from, how many cloud regions A&amp;AI listed, the VIMs registered, changed and already
/// as A&amp;AI has them, the regions that were not imported and why, and the imported VIMs (tagged as imported from A&amp;AI)
/// whose region A&amp;AI no longer lists: reported, and kept.
/// </summary>
public sealed record AaiImportReport(
    Uri Source,
    int Regions,
    int Created,
    int Updated,
    int Unchanged,
    IReadOnlyList<AaiSkippedRegion> Skipped,
    IReadOnlyList<string> Vanished,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);

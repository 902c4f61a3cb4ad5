namespace ImageManager.Distribution.Reconciliation;

/// <summary>
/// One reconciliation pass: how many pairs it took, how many the VIMs showed intact, the drifted and the unchecked
/// ones (a VIM that did not answer is not drift), and whether the pass reached the last pair, so that the next one
/// starts again from the first.
/// </summary>
public sealed record ReconciliationReport(
    int Pairs,
    int Intact,
    IReadOnlyList<ReconciledPair> Drifted,
    IReadOnlyList<ReconciledPair> Unchecked,
    bool ReachedEnd,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);

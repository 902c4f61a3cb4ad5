namespace ImageManager.Distribution.Reconciliation;

/// <summary>
/// An image-VIM pair a reconciliation pass found drifted or could not check: what it found (as the VIM said it), and,
/// when drift was repaired, the new distribution that puts the image back.
/// </summary>
public sealed record ReconciledPair(Guid ImageId, string VimId, Guid DistributionId, string VimImageId, string Problem, Guid? RepairDistributionId = null);

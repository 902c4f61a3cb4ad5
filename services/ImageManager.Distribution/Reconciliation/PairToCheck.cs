namespace ImageManager.Distribution.Reconciliation;

/// <summary>An image-VIM pair whose latest target is <c>active</c> or <c>skipped</c>: the VIM should hold <see cref="VimImageId"/>.</summary>
public sealed record PairToCheck(Guid ImageId, string VimId, Guid DistributionId, string VimImageId, int Attempt);

namespace ImageManager.Contracts.Vims;

/// <summary>A cloud region that was not imported: the VIM id it would have had (<c>{cloud-owner}_{cloud-region-id}</c>) and why.</summary>
public sealed record AaiSkippedRegion(string VimId, string Reason);

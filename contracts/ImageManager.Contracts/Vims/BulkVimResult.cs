namespace ImageManager.Contracts.Vims;

/// <summary>What a bulk upsert did: VIMs registered, VIMs changed, and VIMs that already were as asked (not written).</summary>
public sealed record BulkVimResult(int Created, int Updated, int Unchanged);

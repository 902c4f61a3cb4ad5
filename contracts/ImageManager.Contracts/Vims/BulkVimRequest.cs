namespace ImageManager.Contracts.Vims;

/// <summary>
/// Body of <c>PUT /api/v1/vims</c>: up to 10,000 registrations, each as <c>POST
/// /api/v1/vims</c> takes it. Each VIM is registered, or brought to this registration when it exists; VIMs not listed
/// are left as they are. The Distribution service holds the limit (VimBulkUpsert.MaxVims).
/// </summary>
public sealed record BulkVimRequest
{
    public IReadOnlyList<RegisterVimRequest?>? Vims { get; init; }
}

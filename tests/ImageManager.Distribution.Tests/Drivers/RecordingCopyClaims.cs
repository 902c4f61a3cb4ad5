using ImageManager.Distribution.Drivers;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The claims a driver makes, in order, for tests of the driver alone (the ledger behind them is tested on PostgreSQL):
/// every existing copy offered is accepted unless <see cref="RefuseExisting"/>.
/// </summary>
public sealed class RecordingCopyClaims : IVimCopyClaims
{
    public List<string> Claims { get; } = [];
    public List<IReadOnlyList<string>> Offered { get; } = [];
    public bool RefuseExisting { get; init; }

    /// <summary>Copies that the ledger would say were made for another tenant's image.</summary>
    public HashSet<string> OtherOwners { get; init; } = [];

    public Task<string?> ChooseExistingAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        Offered.Add(candidates);
        return Task.FromResult(RefuseExisting || candidates.Count == 0 ? null : candidates[0]);
    }

    public Task ClaimAsync(string vimImageId, CancellationToken cancellationToken)
    {
        Claims.Add(vimImageId);
        return Task.CompletedTask;
    }

    public Task<bool> IsAnotherOwnersAsync(string vimImageId, CancellationToken cancellationToken) => Task.FromResult(OtherOwners.Contains(vimImageId));
}

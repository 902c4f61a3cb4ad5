using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;

namespace ImageManager.Distribution.Ownership;

/// <summary>One upload's claims, recorded in the <see cref="VimCopyLedger"/> as the driver makes them.</summary>
public sealed class RecordedVimCopyClaims(
    DistributionDbContext db, VimCopyClaimBatches claims, DistributableImage image, string vimId, Guid distributionId, TimeProvider clock) : IVimCopyClaims
{
    /// <summary>The copy this upload claimed to create, if any: the one to confirm, or to delete if the image left meanwhile.</summary>
    public string? Claimed { get; private set; }

    /// <summary>How the image came to rely on the copy the upload ends with (<see cref="Contracts.Distributions.VimCopyOrigins"/>).</summary>
    public string? Origin { get; private set; }

    public async Task<string?> ChooseExistingAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var chosen = await VimCopyLedger.ChooseExistingAsync(db, image, vimId, candidates, distributionId, clock.GetUtcNow(), cancellationToken);
        Origin = chosen?.Origin;
        return chosen?.VimImageId;
    }

    public async Task ClaimAsync(string vimImageId, CancellationToken cancellationToken)
    {
        Origin = await claims.ClaimAsync(image, vimId, vimImageId, distributionId, cancellationToken);
        Claimed = vimImageId;
    }

    public Task<bool> IsAnotherOwnersAsync(string vimImageId, CancellationToken cancellationToken) =>
        VimCopyLedger.IsAnotherOwnersAsync(db, image, vimId, vimImageId, cancellationToken);
}

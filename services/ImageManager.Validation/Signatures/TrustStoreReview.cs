using ImageManager.Contracts.Certificates;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// Publishes <see cref="TrustStoreChanged"/> at start and whenever what the trust store says changes: the folder is looked
/// at every <see cref="SignatureOptions.TrustStoreReviewInterval"/> (a directory listing; it is read again only when a
/// file changed) and the event goes out when the trusted authorities or the revoked certificates differ from what was
/// last published. Every entry of every list an authority of the store signed is published, stale or not: a revocation
/// stays true once the list is due for renewal. Each Validation replica publishes for its own folder; the event carries
/// the whole state, so a consumer applies it however often it comes.
/// </summary>
public sealed class TrustStoreReview(
    TrustStore store, IServiceScopeFactory scopes, IOptions<SignatureOptions> options, TimeProvider clock, ILogger<TrustStoreReview> logger) : BackgroundService
{
    string? _published;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrustStoreReviewInterval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await ReviewAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The bus or the folder may be back at the next tick; the change is published then.
                logger.LogWarning(exception, "The trust store could not be reviewed; trying again in {Interval}", options.Value.TrustStoreReviewInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Publishes the trust store's state when it differs from the last one published (always, the first time); true when it did.</summary>
    public async Task<bool> ReviewAsync(IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        var content = store.Current();
        var revoked = content.RevocationLists
            .SelectMany(list => list.RevokedBySerialNumber.Values)
            .DistinctBy(entry => (entry.Issuer, entry.SerialNumber))
            .OrderBy(entry => entry.Issuer, StringComparer.Ordinal).ThenBy(entry => entry.SerialNumber, StringComparer.Ordinal)
            .ToList();
        var state = string.Join('\n', content.AuthorityFingerprints) + "\n--\n"
                    + string.Join('\n', revoked.Select(entry => $"{entry.Issuer}|{entry.SerialNumber}|{entry.RevokedAt:O}|{entry.Reason}"));
        if (state == _published)
        {
            return false;
        }

        await publisher.Publish(new TrustStoreChanged { TrustedAuthorities = content.AuthorityFingerprints, Revoked = revoked, ReadAt = content.ReadAt }, cancellationToken);
        _published = state;
        logger.LogInformation("Trust store published: {Authorities} authorities, {Revoked} revoked certificates", content.AuthorityFingerprints.Count, revoked.Count);
        return true;
    }
}

using System.Globalization;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Certificates;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Trust;

/// <summary>
/// Validation's trust store changed: every signed image still trusted whose signer is now revoked (issuer and serial
/// number in a revocation list) or whose authority left the trust store has its trust withdrawn, for good, with the reason,
/// and <see cref="ImageTrustWithdrawn"/> goes out through the outbox in the same save. The event comes from every
/// Validation replica and again at every start: an image already withdrawn is not looked at again, and the revision
/// check lets one of two racing consumers win (the other is retried and finds nothing left to do).
/// </summary>
public sealed class TrustStoreChangedConsumer(CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, ILogger<TrustStoreChangedConsumer> logger)
    : IConsumer<TrustStoreChanged>
{
    const int Batch = 500;

    public async Task Consume(ConsumeContext<TrustStoreChanged> context)
    {
        var message = context.Message;
        var trusted = message.TrustedAuthorities.Select(a => a.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var revoked = message.Revoked
            .GroupBy(r => (r.Issuer, Serial: r.SerialNumber.ToUpperInvariant()))
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.RevokedAt).First());

        // An empty trust store verifies nothing: far more likely a replica's folder not mounted than every authority
        // removed on purpose, and a withdrawal is for good. Revocations still count.
        var checkAuthorities = trusted.Count > 0;
        if (!checkAuthorities)
        {
            logger.LogWarning("A trust store change lists no trusted authority; only its revocations are applied.");
        }

        var withdrawn = 0;
        Guid? after = null;
        while (true)
        {
            var page = await db.Images
                .Where(i => i.TrustWithdrawnAt == null && i.SignerSha256Fingerprint != null && (after == null || i.Id.CompareTo(after.Value) > 0))
                .OrderBy(i => i.Id)
                .Take(Batch)
                .ToListAsync(context.CancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Id;
            var now = clock.GetUtcNow();
            foreach (var image in page)
            {
                if (Reason(image, revoked, checkAuthorities ? trusted : null) is not { } reason)
                {
                    continue;
                }

                image.TrustWithdrawnAt = now;
                image.TrustWithdrawnReason = OutsideText.Sanitise(reason, 2048);
                image.Revision++;
                image.UpdatedAt = now;
                db.QueueEvent(new ImageTrustWithdrawn
                {
                    ImageId = image.Id,
                    Kind = image.Kind,
                    Name = image.Name,
                    Version = image.Version,
                    Owner = image.Owner,
                    Reason = image.TrustWithdrawnReason,
                    SignerSha256Fingerprint = image.SignerSha256Fingerprint!,
                    WithdrawnAt = now,
                }, now);
                withdrawn++;
            }

            await db.SaveChangesAsync(context.CancellationToken);
            db.ChangeTracker.Clear();
            if (page.Count < Batch)
            {
                break;
            }
        }

        if (withdrawn > 0)
        {
            logger.LogWarning("The trust store changed: trust withdrawn from {Count} image(s).", withdrawn);
            outbox.Notify();
        }
    }

    static string? Reason(CatalogImage image, Dictionary<(string Issuer, string Serial), RevokedCertificate> revoked, HashSet<string>? trusted)
    {
        if (image.SignerIssuer is { } issuer && image.SignerSerialNumber is { } serial && revoked.TryGetValue((issuer, serial.ToUpperInvariant()), out var revocation))
        {
            var on = revocation.RevokedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            var why = revocation.Reason is { } code ? $" ({code})" : "";
            return $"certificate {image.SignerSubject} revoked by {revocation.Issuer} on {on}{why}";
        }

        return trusted is not null && image.SignerAuthoritySha256Fingerprint is { } authority && !trusted.Contains(authority.ToLowerInvariant())
            ? $"authority {authority} removed from the trust store"
            : null;
    }
}

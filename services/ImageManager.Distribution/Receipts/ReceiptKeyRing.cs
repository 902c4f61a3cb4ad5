using System.Security.Cryptography;
using System.Text.Json;
using ImageManager.Contracts.Receipts;
using ImageManager.Distribution.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ImageManager.Distribution.Receipts;

/// <summary>
/// The keys that sign receipts, one ring in the database for every replica: the newest unretired key signs; it retires
/// after <see cref="ReceiptOptions.KeyLifetime"/> (or at <c>rotate-receipt-key</c>) and a new one is made, the way the
/// Data Protection key ring rotates. Retired keys stay published; revoked ones do not. The private keys are encrypted by
/// the Data Protection key ring: a key it can no longer decrypt (its ring key revoked) is retired and replaced.
/// </summary>
public sealed class ReceiptKeyRing(
    IDbContextFactory<DistributionDbContext> contexts, IDataProtectionProvider protection, IOptions<ReceiptOptions> options, TimeProvider clock,
    ILogger<ReceiptKeyRing> logger)
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    // Any number to serialise key making across replicas; the same for every installation.
    const long MakingLock = 0x52454345495054; // "RECEIPT"

    readonly IDataProtector _protector = protection.CreateProtector("ImageManager.Distribution.ReceiptKeys.v1");

    /// <summary>The key that signs now, made when there is none or it is due to retire. The caller disposes it.</summary>
    public async Task<ECDsaSecurityKey> SigningKeyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (Usable(await CurrentAsync(db, cancellationToken)) is { } usable)
        {
            return usable;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MakingLock})", cancellationToken);
        // Another replica may have made one while this one waited.
        if (Usable(await CurrentAsync(db, cancellationToken)) is { } madeMeanwhile)
        {
            return madeMeanwhile;
        }

        var made = await MakeAsync(db, revokeOlder: false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return made;
    }

    /// <summary>Retires the signing key for a new one at once; with <paramref name="revokeOld"/> every older key is revoked.</summary>
    public async Task<string> RotateAsync(bool revokeOld, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({MakingLock})", cancellationToken);
        var made = await MakeAsync(db, revokeOld, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        made.ECDsa.Dispose();
        return made.KeyId;
    }

    /// <summary>Every key not revoked, newest first, as the JWK set that verifies receipts.</summary>
    public async Task<ReceiptKeySetResource> PublishedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.ReceiptKeys.AsNoTracking().Where(k => k.RevokedAt == null).OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        return new ReceiptKeySetResource
        {
            Keys = [.. keys.Select(k => JsonSerializer.Deserialize<ReceiptPublicKey>(k.PublicJwk)! with { CreatedAt = k.CreatedAt, RetiredAt = k.RetiredAt })],
        };
    }

    static Task<ReceiptKey?> CurrentAsync(DistributionDbContext db, CancellationToken cancellationToken) =>
        db.ReceiptKeys.AsNoTracking().Where(k => k.RetiredAt == null && k.RevokedAt == null).OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);

    ECDsaSecurityKey? Usable(ReceiptKey? key)
    {
        if (key is null || key.CreatedAt + options.Value.KeyLifetime <= clock.GetUtcNow())
        {
            return null;
        }

        try
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(key.ProtectedPrivateKey)), out _);
            return new ECDsaSecurityKey(ecdsa) { KeyId = key.KeyId };
        }
        catch (CryptographicException unreadable)
        {
            logger.LogWarning("Receipt signing key {KeyId} can no longer be decrypted ({Reason}); a new one replaces it", key.KeyId, unreadable.Message);
            return null;
        }
    }

    /// <summary>Makes a key, retires the one before (or, with <paramref name="revokeOlder"/>, revokes every one before).</summary>
    async Task<ECDsaSecurityKey> MakeAsync(DistributionDbContext db, bool revokeOlder, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.ReceiptKeys.Where(k => k.RetiredAt == null).ExecuteUpdateAsync(k => k.SetProperty(x => x.RetiredAt, now), cancellationToken);
        if (revokeOlder)
        {
            await db.ReceiptKeys.Where(k => k.RevokedAt == null).ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, now), cancellationToken);
        }

        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa));
        var keyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        var published = new ReceiptPublicKey { KeyType = jwk.Kty, Curve = jwk.Crv, X = jwk.X, Y = jwk.Y, KeyId = keyId, Algorithm = Algorithm, CreatedAt = now };
        db.ReceiptKeys.Add(new ReceiptKey
        {
            KeyId = keyId,
            PublicJwk = JsonSerializer.Serialize(published),
            ProtectedPrivateKey = _protector.Protect(Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Receipt signing key {KeyId} made; it signs from now on", keyId);
        return new ECDsaSecurityKey(ecdsa) { KeyId = keyId };
    }
}

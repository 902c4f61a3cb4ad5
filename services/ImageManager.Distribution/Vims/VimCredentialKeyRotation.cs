using ImageManager.Distribution.Persistence;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// <c>ImageManager.Distribution rotate-credential-key [--revoke-old]</c>: a new key becomes the default at once and every
/// VIM's credentials are encrypted again with it. With <c>--revoke-old</c> the keys before it are revoked, so that what
/// they encrypted can no longer be read: only once every replica has been restarted since the rotation (a running
/// replica keeps encrypting with the key it knew for up to a day).
/// </summary>
public static class VimCredentialKeyRotation
{
    static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    /// <summary>Returns how many VIMs' credentials were encrypted again.</summary>
    public static async Task<int> RotateAsync(
        IKeyManager keys, VimCredentialProtector protector, DistributionDbContext db, TimeProvider clock, bool revokeOld, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var older = keys.GetAllKeys().Where(k => !k.IsRevoked).Select(k => k.KeyId).ToList();
        keys.CreateNewKey(activationDate: now, expirationDate: now + KeyLifetime);

        var vims = await db.Vims.Where(v => v.ProtectedCredentials != null).ToListAsync(cancellationToken);
        foreach (var vim in vims)
        {
            vim.ProtectedCredentials = protector.Protect(protector.Unprotect(vim.ProtectedCredentials)!);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (revokeOld)
        {
            foreach (var key in older)
            {
                keys.RevokeKey(key, "replaced by rotate-credential-key");
            }
        }

        return vims.Count;
    }
}

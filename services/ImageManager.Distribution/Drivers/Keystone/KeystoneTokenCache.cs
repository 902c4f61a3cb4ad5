using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ImageManager.Distribution.Drivers.Keystone;

/// <summary>
/// One Keystone token per VIM, shared by every call to it: a login happens on first use, a few minutes before the token
/// expires (<see cref="KeystoneToken.RenewAt"/>), after Glance refused the token (<see cref="Forget"/>), and when the
/// VIM's identity URL or credentials changed (a new fingerprint: the old token is never used for the new credentials).
/// Concurrent callers of one VIM wait for a single login.
/// </summary>
public sealed class KeystoneTokenCache(TimeProvider clock)
{
    readonly ConcurrentDictionary<string, KeystoneSession> _sessions = new(StringComparer.Ordinal);

    // Fingerprints are keyed hashes with a key of this process only: they cannot be tried against guessed passwords.
    readonly byte[] _fingerprintKey = RandomNumberGenerator.GetBytes(32);

    public async Task<KeystoneToken> GetAsync(VimConnection vim, CancellationToken cancellationToken)
    {
        var fingerprint = FingerprintOf(vim);
        var session = _sessions.AddOrUpdate(
            vim.Vim.Id,
            _ => new KeystoneSession(fingerprint),
            (_, existing) => existing.Fingerprint == fingerprint ? existing : new KeystoneSession(fingerprint));
        if (Fresh(session.Token) is { } token)
        {
            return token;
        }

        await session.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have logged in while this one waited.
            return Fresh(session.Token) ?? (session.Token = await KeystoneClient.LogInAsync(vim, cancellationToken));
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>
    /// Glance refused <paramref name="refused"/> (revoked, or Keystone's keys rotated): the next <see cref="GetAsync"/> logs
    /// in again, unless another caller already replaced that token.
    /// </summary>
    public void Forget(VimConnection vim, KeystoneToken refused)
    {
        if (_sessions.TryGetValue(vim.Vim.Id, out var session))
        {
            Interlocked.CompareExchange(ref session.Token, null, refused);
        }
    }

    KeystoneToken? Fresh(KeystoneToken? token) => token is not null && clock.GetUtcNow() < token.RenewAt ? token : null;

    string FingerprintOf(VimConnection vim)
    {
        var version = $"{vim.Vim.IdentityUrl}\n{JsonSerializer.Serialize(vim.Credentials, JsonSerializerOptions.Web)}";
        return Convert.ToHexString(HMACSHA256.HashData(_fingerprintKey, Encoding.UTF8.GetBytes(version)));
    }
}

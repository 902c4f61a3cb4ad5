using System.Collections.Concurrent;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// Bearer tokens per VIM and scope until shortly before they expire, and where each VIM that asked for one gets them:
/// a push to a registry with a token service fetches one token per scope, not one per request.
/// </summary>
public sealed class OciTokenCache(TimeProvider clock)
{
    const int MaxEntries = 10_000;

    /// <summary>A token this close to its expiry is not handed out: a request may take that long to reach the registry.</summary>
    static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, BearerChallenge> _realms = new(StringComparer.Ordinal);

    public string? Find(string vim, string scope) =>
        _tokens.TryGetValue($"{vim}\n{scope}", out var entry) && entry.ExpiresAt - Margin > clock.GetUtcNow() ? entry.Token : null;

    public void Store(string vim, string scope, string token, TimeSpan lifetime)
    {
        if (_tokens.Count >= MaxEntries)
        {
            var now = clock.GetUtcNow();
            foreach (var expired in _tokens.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
            {
                _tokens.TryRemove(expired, out _);
            }

            if (_tokens.Count >= MaxEntries)
            {
                _tokens.Clear();
            }
        }

        _tokens[$"{vim}\n{scope}"] = (token, clock.GetUtcNow() + lifetime);
    }

    /// <summary>The token service a VIM named in its last challenge; null while it has asked for none.</summary>
    public BearerChallenge? RealmOf(string vim) => _realms.GetValueOrDefault(vim);

    public void RememberRealm(string vim, BearerChallenge challenge)
    {
        if (_realms.Count >= MaxEntries)
        {
            _realms.Clear();
        }

        _realms[vim] = challenge with { Scope = null };
    }
}

using System.Collections.Concurrent;
using ImageManager.Notifications.Subscriptions;

namespace ImageManager.Notifications.Webhooks;

/// <summary>
/// Subscription secrets decrypted once, not once per delivery (Data Protection's unprotect is the dearest step of a
/// delivery after the HTTP call). Kept per subscription together with the protected value they came from, and used only
/// while the claim brings that same value: a secret changed by <c>PATCH</c> is protected anew, so it is never signed with
/// stale. Held in this process's memory only, as each delivery held it before.
/// </summary>
public sealed class DecryptedSecrets(SubscriptionSecretProtector protector)
{
    /// <summary>More subscriptions than this and the cache starts again: deleted ones must not pile up for ever.</summary>
    const int MostKept = 10_000;

    readonly ConcurrentDictionary<Guid, (string Protected, string Secret)> _secrets = new();

    public string For(Guid subscriptionId, string protectedSecret)
    {
        if (_secrets.TryGetValue(subscriptionId, out var known) && string.Equals(known.Protected, protectedSecret, StringComparison.Ordinal))
        {
            return known.Secret;
        }

        var secret = protector.Unprotect(protectedSecret);
        if (_secrets.Count >= MostKept)
        {
            _secrets.Clear();
        }

        _secrets[subscriptionId] = (protectedSecret, secret);
        return secret;
    }
}

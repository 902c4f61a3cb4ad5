using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.ServiceDefaults.DataProtection;

/// <summary>
/// The key ring at start, before any other part of the service (the bus among them) uses it: a key that this service
/// cannot decrypt (encrypted to a certificate it was not given) stops the start with the setting to fix; left running, it
/// would fail on every secret that key encrypted and make itself a new key, unencrypted or to the wrong certificate. And
/// with a certificate, a default key stored unencrypted (made before the certificate was set) is succeeded at once by one
/// encrypted to it, so that what is written from now on is not under a key that any dump reveals.
/// </summary>
public sealed class KeyRingStartup(
    IKeyManager keys, IOptions<KeyManagementOptions> keyManagement, IOptions<KeyRingProtectionOptions> options, ILogger<KeyRingStartup> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (Verify())
        {
            EncryptDefaultKey();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Throws when a key that is not revoked cannot be decrypted; warns when new keys would be stored unencrypted. False
    /// when the ring could not be read (the database not reachable yet: the service starts as it would have, and Data
    /// Protection reads the ring on first use).
    /// </summary>
    public bool Verify()
    {
        if (string.IsNullOrEmpty(options.Value.Certificate))
        {
            logger.LogWarning("DataProtection:Certificate is not set: new Data Protection keys are stored unencrypted in the database, and a dump of it reveals the secrets they protect.");
        }

        IReadOnlyCollection<IKey> all;
        try
        {
            all = keys.GetAllKeys();
        }
        catch (Exception exception) when (exception is not CryptographicException)
        {
            logger.LogWarning(exception, "The Data Protection key ring could not be read at start; whether every key decrypts was not checked.");
            return false;
        }

        var unreadable = all.Where(key => !key.IsRevoked && !Decrypts(key)).Select(key => key.KeyId).ToList();
        if (unreadable.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Data Protection key ring holds {unreadable.Count} key(s) this service cannot decrypt ({string.Join(", ", unreadable)}): they are encrypted to a "
                + "certificate it was not given. Set DataProtection:Certificate (and DataProtection:PreviousCertificates for the certificates it replaced) to the "
                + "installation's certificate files, the same on every replica.");
        }

        return true;
    }

    /// <summary>
    /// With a certificate, makes a new key (encrypted to it, the default from now on) when the current default key is
    /// stored unencrypted; returns its id, or null when nothing was to be done. Older keys stay and still decrypt.
    /// </summary>
    public Guid? EncryptDefaultKey()
    {
        if (string.IsNullOrEmpty(options.Value.Certificate) || keyManagement.Value.XmlRepository is not { } store)
        {
            return null;
        }

        // Data Protection dates its keys by the system clock, and picks the default key by it.
        var now = DateTimeOffset.UtcNow;
        var current = keys.GetAllKeys()
            .Where(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now)
            .MaxBy(key => key.ActivationDate);
        var stored = current is null
            ? null
            : store.GetAllElements().FirstOrDefault(element =>
                element.Name.LocalName == "key" && Guid.TryParse((string?)element.Attribute("id"), out var id) && id == current.KeyId);
        if (stored is null || stored.Descendants().Any(element => element.Name.LocalName == "encryptedSecret"))
        {
            // No key yet (Data Protection makes the first one, encrypted), or the default one is encrypted already.
            return null;
        }

        var successor = keys.CreateNewKey(now, now + keyManagement.Value.NewKeyLifetime);
        logger.LogWarning(
            "The default Data Protection key {Old} was stored unencrypted (before DataProtection:Certificate was set): key {New}, encrypted to the certificate, is the default from now on. "
            + "What the old key encrypted is readable from a dump of the database until it is encrypted again (the Distribution's rotate-credential-key --revoke-old).",
            current!.KeyId, successor.KeyId);
        return successor.KeyId;
    }

    static bool Decrypts(IKey key)
    {
        try
        {
            // The descriptor is decrypted on first use; Data Protection logs why it could not be.
            _ = key.Descriptor;
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

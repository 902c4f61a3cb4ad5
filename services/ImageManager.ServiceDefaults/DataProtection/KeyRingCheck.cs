using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.ServiceDefaults.DataProtection;

/// <summary>
/// Before any other part of the service starts (the bus among them): a key of the ring that this service cannot decrypt
/// (encrypted to a certificate it was not given) stops the start with the setting to fix. Left running, it would fail on
/// every secret that key encrypted, and make itself a new key, stored unencrypted or to the wrong certificate.
/// </summary>
public sealed class KeyRingCheck(IKeyManager keys, IOptions<KeyRingProtectionOptions> options, ILogger<KeyRingCheck> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Verify();
        return Task.CompletedTask;
    }

    /// <summary>Throws when a key that is not revoked cannot be decrypted; warns when new keys would be stored unencrypted.</summary>
    public void Verify()
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
            // The database is not reachable yet: the service starts as it would have, and Data Protection reads the ring on first use.
            logger.LogWarning(exception, "The Data Protection key ring could not be read at start; whether every key decrypts was not checked.");
            return;
        }

        var unreadable = all.Where(key => !key.IsRevoked && !Decrypts(key)).Select(key => key.KeyId).ToList();
        if (unreadable.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Data Protection key ring holds {unreadable.Count} key(s) this service cannot decrypt ({string.Join(", ", unreadable)}): they are encrypted to a "
                + "certificate it was not given. Set DataProtection:Certificate (and DataProtection:PreviousCertificates for the certificates it replaced) to the "
                + "installation's certificate files, the same on every replica.");
        }
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

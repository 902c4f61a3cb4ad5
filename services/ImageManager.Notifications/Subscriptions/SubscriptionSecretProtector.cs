using ImageManager.Notifications.Persistence;
using ImageManager.ServiceDefaults.DataProtection;
using Microsoft.AspNetCore.DataProtection;

namespace ImageManager.Notifications.Subscriptions;

/// <summary>
/// Keeps subscription secrets encrypted in the database with Data Protection (the key ring in the same database, shared by
/// the replicas), and decrypts one only to sign a delivery.
/// </summary>
public sealed class SubscriptionSecretProtector(IDataProtectionProvider provider)
{
    readonly IDataProtector _protector = provider.CreateProtector("ImageManager.Notifications.SubscriptionSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>
    /// The key ring in the service's database (one for every replica; the keys a key directory held before are imported
    /// from <paramref name="importKeysFrom"/>), encrypted there to the certificate that <paramref name="configuration"/>
    /// names (<c>DataProtection:Certificate</c>), and the protector over it.
    /// </summary>
    public static void Register(IServiceCollection services, DirectoryInfo importKeysFrom, IConfiguration configuration)
    {
        services.AddDataProtection()
            .SetApplicationName("ImageManager.Notifications")
            .PersistKeysToDbContext<NotificationsDbContext>()
            .ImportKeysFrom(importKeysFrom)
            .ProtectKeysWithConfiguredCertificate(configuration);
        services.AddSingleton<SubscriptionSecretProtector>();
    }
}

using Microsoft.AspNetCore.DataProtection;

namespace ImageManager.Notifications.Subscriptions;

/// <summary>
/// Keeps subscription secrets encrypted in the database with Data Protection (keys outside the database, shared by the
/// replicas), and decrypts one only to sign a delivery.
/// </summary>
public sealed class SubscriptionSecretProtector(IDataProtectionProvider provider)
{
    readonly IDataProtector _protector = provider.CreateProtector("ImageManager.Notifications.SubscriptionSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    public static void Register(IServiceCollection services, DirectoryInfo keys)
    {
        services.AddDataProtection()
            .SetApplicationName("ImageManager.Notifications")
            .PersistKeysToFileSystem(keys);
        services.AddSingleton<SubscriptionSecretProtector>();
    }
}

using System.Security.Cryptography;
using System.Xml.Linq;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Tests.Persistence;
using ImageManager.ServiceDefaults.DataProtection;
using ImageManager.Testing;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Notifications.Tests.Subscriptions;

/// <summary>
/// Webhook secrets are encrypted with the key ring in the Notifications' PostgreSQL database, its keys encrypted there to
/// the installation's certificate (<c>DataProtection:Certificate</c>), configured as the service configures it.
/// </summary>
public sealed class SubscriptionSecretKeyRingCertificateTests : IAsyncLifetime
{
    readonly NotificationsDatabase _database = new();
    readonly TestKeyRingCertificate _certificate = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task When_the_certificate_is_set_the_stored_key_holds_no_master_key_only_its_encryption_to_that_certificate()
    {
        using var service = _database.KeyRingService(_certificate.Settings());
        var secret = service.GetRequiredService<SubscriptionSecretProtector>().Protect("webhook-secret");

        var stored = XElement.Parse(Assert.Single(await _database.StoredKeysAsync()));

        var encrypted = Assert.Single(stored.Descendants(), element => element.Name.LocalName == "encryptedSecret");
        var masterKey = new EncryptedXmlDecryptor(service).Decrypt(encrypted.Elements().Single());
        var value = masterKey.Descendants().Single(element => element.Name.LocalName == "value").Value;
        Assert.True(value.Length >= 40, masterKey.ToString());
        Assert.DoesNotContain(value, stored.ToString(SaveOptions.DisableFormatting), StringComparison.Ordinal);
        Assert.DoesNotContain(stored.Descendants(), element => element.Name.LocalName == "masterKey");
        Assert.Equal(Convert.ToBase64String(_certificate.RawData()), stored.Descendants().Single(element => element.Name.LocalName == "X509Certificate").Value);
        Assert.Equal("webhook-secret", service.GetRequiredService<SubscriptionSecretProtector>().Unprotect(secret));
    }

    [Fact]
    public void When_another_replica_has_the_same_certificate_it_decrypts_the_secret_and_one_without_it_refuses_to_start_naming_the_setting()
    {
        string secret;
        using (var first = _database.KeyRingService(_certificate.Settings()))
        {
            secret = first.GetRequiredService<SubscriptionSecretProtector>().Protect("signed-by-every-replica");
        }

        using var second = _database.KeyRingService(_certificate.Settings());
        second.GetRequiredService<KeyRingStartup>().Verify();
        Assert.Equal("signed-by-every-replica", second.GetRequiredService<SubscriptionSecretProtector>().Unprotect(secret));

        using var without = _database.KeyRingService(new ConfigurationBuilder().Build());
        var refused = Assert.Throws<InvalidOperationException>(() => without.GetRequiredService<KeyRingStartup>().Verify());
        Assert.Contains("DataProtection:Certificate", refused.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => without.GetRequiredService<SubscriptionSecretProtector>().Unprotect(secret));
    }
}

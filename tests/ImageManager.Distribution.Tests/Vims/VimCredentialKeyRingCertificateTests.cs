using System.Security.Cryptography;
using System.Xml.Linq;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.DataProtection;
using ImageManager.Testing;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>
/// The key ring in the Distribution's PostgreSQL database, encrypted at rest to the installation's certificate
/// (<c>DataProtection:Certificate</c>), configured as the service configures it: a dump of the database holds the keys
/// only in a form that the certificate's private key opens, and a replica without that certificate does not start.
/// </summary>
public sealed class VimCredentialKeyRingCertificateTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
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
        var credentials = Protect(service, "kept-from-the-dump");

        var stored = XElement.Parse(Assert.Single(await _database.StoredKeysAsync()));

        // The master key, as the certificate's private key decrypts it, appears nowhere in the stored row.
        var encrypted = Assert.Single(stored.Descendants(), element => element.Name.LocalName == "encryptedSecret");
        var masterKey = new EncryptedXmlDecryptor(service).Decrypt(encrypted.Elements().Single());
        var secret = masterKey.Descendants().Single(element => element.Name.LocalName == "value").Value;
        Assert.True(secret.Length >= 40, masterKey.ToString());
        Assert.DoesNotContain(secret, stored.ToString(SaveOptions.DisableFormatting), StringComparison.Ordinal);
        Assert.DoesNotContain(stored.Descendants(), element => element.Name.LocalName == "masterKey");
        // Encrypted to this certificate: the encrypted key names it.
        Assert.Equal(Convert.ToBase64String(_certificate.RawData()), stored.Descendants().Single(element => element.Name.LocalName == "X509Certificate").Value);
        Assert.Equal("kept-from-the-dump", Unprotect(service, credentials));
    }

    [Fact]
    public void When_another_replica_has_the_same_certificate_it_decrypts_the_credentials_and_one_without_it_refuses_to_start_naming_the_setting()
    {
        string credentials;
        Guid key;
        using (var first = _database.KeyRingService(_certificate.Settings()))
        {
            credentials = Protect(first, "shared-by-replicas");
            key = first.GetRequiredService<IKeyManager>().GetAllKeys().Single().KeyId;
        }

        using var second = _database.KeyRingService(_certificate.Settings());
        second.GetRequiredService<KeyRingStartup>().Verify();
        Assert.Equal("shared-by-replicas", Unprotect(second, credentials));

        using var another = new TestKeyRingCertificate();
        foreach (var settings in new[] { new ConfigurationBuilder().Build(), another.Settings() })
        {
            using var without = _database.KeyRingService(settings);
            var refused = Assert.Throws<InvalidOperationException>(() => without.GetRequiredService<KeyRingStartup>().Verify());
            Assert.Contains("DataProtection:Certificate", refused.Message, StringComparison.Ordinal);
            Assert.Contains(key.ToString(), refused.Message, StringComparison.Ordinal);
            Assert.ThrowsAny<CryptographicException>(() => Unprotect(without, credentials));
        }
    }

    [Fact]
    public async Task When_the_certificate_is_set_on_a_ring_of_unencrypted_keys_they_still_decrypt_and_an_encrypted_key_takes_over_at_start()
    {
        string before;
        Guid old;
        using (var earlier = _database.KeyRingService(new ConfigurationBuilder().Build()))
        {
            before = Protect(earlier, "before-the-certificate");
            old = earlier.GetRequiredService<IKeyManager>().GetAllKeys().Single().KeyId;
        }

        string after;
        using (var service = _database.KeyRingService(_certificate.Settings()))
        {
            var startup = service.GetRequiredService<KeyRingStartup>();
            Assert.True(startup.Verify());
            Assert.NotNull(startup.EncryptDefaultKey());
            Assert.Null(startup.EncryptDefaultKey()); // once: the default key is the encrypted one now
            Assert.Equal("before-the-certificate", Unprotect(service, before));
            after = Protect(service, "after-the-certificate");
            service.GetRequiredService<IKeyManager>().RevokeKey(old, "stored unencrypted");
        }

        // The keys' rows (the revocation has one of its own).
        Assert.Equal([false, true], (await _database.StoredKeysAsync()).Select(XElement.Parse).Where(row => row.Name.LocalName == "key").Select(IsEncrypted));
        // What was written after the start is under the encrypted key: it still decrypts with the unencrypted one revoked.
        using var restarted = _database.KeyRingService(_certificate.Settings());
        Assert.Equal("after-the-certificate", Unprotect(restarted, after));
        Assert.ThrowsAny<CryptographicException>(() => Unprotect(restarted, before));
    }

    [Fact]
    public async Task When_the_certificate_is_replaced_keys_encrypted_to_the_previous_one_decrypt_while_it_is_listed_and_new_keys_go_to_the_new_one()
    {
        string before;
        using (var earlier = _database.KeyRingService(_certificate.Settings()))
        {
            before = Protect(earlier, "under-the-first-certificate");
        }

        using var replacement = new TestKeyRingCertificate();
        using (var service = _database.KeyRingService(replacement.Settings(("DataProtection:PreviousCertificates:0:Path", _certificate.Path))))
        {
            service.GetRequiredService<KeyRingStartup>().Verify();
            Assert.Equal("under-the-first-certificate", Unprotect(service, before));
            service.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        }

        var newest = XElement.Parse((await _database.StoredKeysAsync())[^1]);
        Assert.Equal(Convert.ToBase64String(replacement.RawData()), newest.Descendants().Single(element => element.Name.LocalName == "X509Certificate").Value);
        using var forgetful = _database.KeyRingService(replacement.Settings());
        Assert.Throws<InvalidOperationException>(() => forgetful.GetRequiredService<KeyRingStartup>().Verify());
    }

    [Fact]
    public void When_no_certificate_is_set_in_production_the_service_refuses_to_start_unless_unencrypted_keys_are_chosen()
    {
        using var bare = _database.KeyRingService(new ConfigurationBuilder().Build(), environment: "Production");
        var refused = Assert.Throws<OptionsValidationException>(() => bare.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("DataProtection:Certificate is not set", refused.Message, StringComparison.Ordinal);

        var chosen = new ConfigurationBuilder().AddInMemoryCollection([new("DataProtection:AllowUnencryptedKeys", "true")]).Build();
        using var unencrypted = _database.KeyRingService(chosen, environment: "Production");
        unencrypted.GetRequiredService<IStartupValidator>().Validate();
        using var encrypted = _database.KeyRingService(_certificate.Settings(), environment: "Production");
        encrypted.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void When_the_certificate_file_is_not_a_pkcs12_file_with_its_key_the_service_does_not_start_and_names_the_setting()
    {
        var notACertificate = Path.Combine(RepositoryPaths.TestOutput, $"not-a-certificate-{Guid.NewGuid():N}.pfx");
        File.WriteAllText(notACertificate, "-----BEGIN NOTHING-----");
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() =>
                _database.KeyRingService(new ConfigurationBuilder().AddInMemoryCollection([new("DataProtection:Certificate", notACertificate)]).Build()));
            Assert.StartsWith($"DataProtection:Certificate: '{notACertificate}' cannot be read as a PKCS#12 file", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notACertificate);
        }
    }

    static string Protect(IServiceProvider service, string password) =>
        service.GetRequiredService<VimCredentialProtector>().Protect(new VimCredentials { Username = "im", Password = password });

    static string? Unprotect(IServiceProvider service, string credentials) =>
        service.GetRequiredService<VimCredentialProtector>().Unprotect(credentials)!.Password;

    static bool IsEncrypted(XElement key) =>
        key.Descendants().Any(element => element.Name.LocalName == "encryptedSecret") && !key.Descendants().Any(element => element.Name.LocalName == "masterKey");
}

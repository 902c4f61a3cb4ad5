using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImageManager.ServiceDefaults.DataProtection;

public static class KeyRingProtectionExtensions
{
    /// <summary>
    /// Encrypts every new key of the ring to the certificate of <c>DataProtection:Certificate</c> (Data Protection's
    /// <c>ProtectKeysWithCertificate</c>) and decrypts with it and <c>DataProtection:PreviousCertificates</c>; keys
    /// stored unencrypted before stay readable. <see cref="KeyRingStartup"/> refuses to start a service that could not
    /// decrypt a key of the ring. Without a certificate, Production refuses to start unless
    /// <c>DataProtection:AllowUnencryptedKeys</c> says otherwise; elsewhere a warning is logged.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(KeyRingProtectionOptions.Section);
        builder.Services.AddOptions<KeyRingProtectionOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .Validate<IHostEnvironment>(
                (options, environment) => !string.IsNullOrEmpty(options.Certificate) || options.AllowUnencryptedKeys || !environment.IsProduction(),
                "DataProtection:Certificate is not set: the key ring would be stored unencrypted in the database, and a dump of it would "
                + "reveal every secret it protects. Set it to the installation's PKCS#12 file (see docs/operations.md), or set "
                + "DataProtection:AllowUnencryptedKeys=true to choose unencrypted keys.")
            .ValidateOnStart();

        // The certificates are read now, while the services are registered: ProtectKeysWithCertificate takes the certificate itself.
        var options = section.Get<KeyRingProtectionOptions>() ?? new KeyRingProtectionOptions();
        if (!string.IsNullOrEmpty(options.Certificate))
        {
            builder.ProtectKeysWithCertificate(Load("DataProtection:Certificate", options.Certificate, options.CertificatePassword));
        }

        var previous = options.PreviousCertificates
            .Select((certificate, index) => Load($"DataProtection:PreviousCertificates:{index}:Path", certificate.Path, certificate.Password))
            .ToArray();
        if (previous.Length > 0)
        {
            builder.UnprotectKeysWithAnyCertificate(previous);
        }

        builder.Services.AddSingleton<KeyRingStartup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyRingStartup>());
        return builder;
    }

    /// <summary>The certificate with its RSA private key, or an error that names the setting (never the password).</summary>
    static X509Certificate2 Load(string setting, string? path, string? password)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{setting} names no file.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{setting}: '{path}' cannot be read as a PKCS#12 file {(password is null ? "without a password" : "with the password given")}: {exception.Message}", exception);
        }

        using var publicKey = certificate.GetRSAPublicKey();
        if (!certificate.HasPrivateKey || publicKey is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{setting}: '{path}' holds no RSA private key; the key ring is encrypted to an RSA key and decrypted with its private half.");
        }

        return certificate;
    }
}

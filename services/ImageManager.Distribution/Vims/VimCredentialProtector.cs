using System.Text.Json;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.DataProtection;
using Microsoft.AspNetCore.DataProtection;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Encrypts VIM credentials for the database with ASP.NET Core Data Protection (authenticated encryption, keys rotated
/// by the key ring), and decrypts them only where a driver is about to use them.
/// </summary>
public sealed class VimCredentialProtector(IDataProtectionProvider provider)
{
    readonly IDataProtector _protector = provider.CreateProtector("ImageManager.Distribution.VimCredentials.v1");

    public string Protect(VimCredentials credentials) =>
        _protector.Protect(JsonSerializer.Serialize(credentials, JsonSerializerOptions.Web));

    public VimCredentials? Unprotect(string? protectedCredentials) =>
        protectedCredentials is null ? null : JsonSerializer.Deserialize<VimCredentials>(_protector.Unprotect(protectedCredentials), JsonSerializerOptions.Web);

    /// <summary>
    /// The key ring in the service's database (one ring for replicas on any number of machines; the keys a key directory
    /// held before are imported from <paramref name="importKeysFrom"/>), encrypted there to the certificate that
    /// <paramref name="configuration"/> names (<c>DataProtection:Certificate</c>), and the protector over it.
    /// </summary>
    public static void Register(IServiceCollection services, DirectoryInfo importKeysFrom, IConfiguration configuration)
    {
        services.AddDataProtection()
            .SetApplicationName("ImageManager.Distribution")
            .PersistKeysToDbContext<DistributionDbContext>()
            .ImportKeysFrom(importKeysFrom)
            .ProtectKeysWithConfiguredCertificate(configuration);
        services.AddSingleton<VimCredentialProtector>();
    }
}

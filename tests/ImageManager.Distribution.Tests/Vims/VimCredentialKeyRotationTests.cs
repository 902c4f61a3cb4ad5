using System.Security.Cryptography;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>
/// VIM credentials are encrypted with the Data Protection key ring in <c>DataProtection:KeysDirectory</c>, configured as
/// the service configures it. Rotating the key (every 90 days on its own, or at once as below) keeps old credentials
/// readable and encrypts new ones with the new key; revoking the old key afterwards makes what it encrypted unreadable.
/// </summary>
public sealed class VimCredentialKeyRotationTests : IDisposable
{
    readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("imagemanager-keys-");

    [Fact]
    public void When_a_new_key_becomes_the_default_old_credentials_are_still_read_and_new_ones_are_encrypted_with_it()
    {
        string before;
        Guid oldKey;
        using (var service = StartService())
        {
            before = service.GetRequiredService<VimCredentialProtector>().Protect(new VimCredentials { Username = "im", Password = "before-rotation" });
            var keys = service.GetRequiredService<IKeyManager>();
            oldKey = keys.GetAllKeys().Single().KeyId;

            // What an operator runs to rotate now rather than wait for the key to expire.
            keys.CreateNewKey(activationDate: DateTimeOffset.UtcNow, expirationDate: DateTimeOffset.UtcNow.AddDays(90));
        }

        using var restarted = StartService();
        var protector = restarted.GetRequiredService<VimCredentialProtector>();
        var after = protector.Protect(new VimCredentials { Username = "im", Password = "after-rotation" });

        Assert.Equal("before-rotation", protector.Unprotect(before)!.Password);
        Assert.Equal(2, restarted.GetRequiredService<IKeyManager>().GetAllKeys().Count);

        // Only once every credential has been written again under the new key may the old one be revoked.
        restarted.GetRequiredService<IKeyManager>().RevokeKey(oldKey, "rotated");
        using var afterRevocation = StartService();
        var current = afterRevocation.GetRequiredService<VimCredentialProtector>();
        Assert.Equal("after-rotation", current.Unprotect(after)!.Password);
        Assert.ThrowsAny<CryptographicException>(() => current.Unprotect(before));
    }

    [Fact]
    public async Task When_the_rotation_step_runs_every_vims_credentials_are_encrypted_again_so_that_the_old_key_can_be_revoked()
    {
        var database = new DistributionDatabase();
        await database.InitializeAsync();
        try
        {
            using (var service = StartService())
            {
                await using var db = new DistributionDbContext(database.Options);
                db.Vims.Add(new Vim
                {
                    Id = "rotation_vim",
                    Type = "openstack",
                    Endpoint = new Uri("http://127.0.0.1:9/"),
                    ProtectedCredentials = service.GetRequiredService<VimCredentialProtector>().Protect(new VimCredentials { Username = "im", Password = "kept-across-rotation" }),
                });
                await db.SaveChangesAsync();
            }

            using (var service = StartService())
            {
                await using var db = new DistributionDbContext(database.Options);
                var count = await VimCredentialKeyRotation.RotateAsync(
                    service.GetRequiredService<IKeyManager>(), service.GetRequiredService<VimCredentialProtector>(), db, TimeProvider.System, revokeOld: true, CancellationToken.None);
                Assert.Equal(1, count);
            }

            using var restarted = StartService();
            await using var reader = new DistributionDbContext(database.Options);
            var stored = await reader.Vims.AsNoTracking().SingleAsync(v => v.Id == "rotation_vim");
            Assert.Equal("kept-across-rotation", restarted.GetRequiredService<VimCredentialProtector>().Unprotect(stored.ProtectedCredentials)!.Password);
            Assert.Single(restarted.GetRequiredService<IKeyManager>().GetAllKeys(), k => !k.IsRevoked);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    public void Dispose() => _keys.Delete(recursive: true);

    /// <summary>The Distribution's Data Protection set-up, on this test's key folder.</summary>
    ServiceProvider StartService()
    {
        var services = new ServiceCollection();
        VimCredentialProtector.Register(services, _keys);
        return services.BuildServiceProvider();
    }
}

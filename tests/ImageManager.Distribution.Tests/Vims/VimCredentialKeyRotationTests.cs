using System.Security.Cryptography;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>
/// VIM credentials are encrypted with the Data Protection key ring in the Distribution's PostgreSQL database, configured
/// as the service configures it (keys of an earlier version's <c>DataProtection:KeysDirectory</c> imported). Rotating the
/// key (every 90 days on its own, or at once as below) keeps old credentials readable and encrypts new ones with the new
/// key; revoking the old key afterwards makes what it encrypted unreadable.
/// </summary>
public sealed class VimCredentialKeyRotationTests : IAsyncLifetime
{
    readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("imagemanager-keys-");
    readonly DistributionDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _keys.Delete(recursive: true);
    }

    [Fact]
    public async Task When_an_earlier_version_kept_its_keys_in_a_folder_two_replicas_import_them_once_and_read_what_they_encrypted()
    {
        string before;
        var earlierVersion = new ServiceCollection();
        earlierVersion.AddDataProtection().SetApplicationName("ImageManager.Distribution").PersistKeysToFileSystem(_keys);
        earlierVersion.AddSingleton<VimCredentialProtector>();
        using (var earlier = earlierVersion.BuildServiceProvider())
        {
            before = earlier.GetRequiredService<VimCredentialProtector>().Protect(new VimCredentials { Username = "im", Password = "from-the-folder" });
        }

        // Two replicas of the new version start at once on the same database, each with the old folder to import.
        using var first = StartService();
        using var second = StartService();
        var read = await Task.WhenAll(new[] { first, second }.Select(replica =>
            Task.Run(() => replica.GetRequiredService<VimCredentialProtector>().Unprotect(before)!.Password)));
        var written = first.GetRequiredService<VimCredentialProtector>().Protect(new VimCredentials { Username = "im", Password = "after-the-upgrade" });
        using var restarted = StartService();

        Assert.All(read, password => Assert.Equal("from-the-folder", password));
        Assert.Equal("after-the-upgrade", second.GetRequiredService<VimCredentialProtector>().Unprotect(written)!.Password);
        Assert.Equal("from-the-folder", restarted.GetRequiredService<VimCredentialProtector>().Unprotect(before)!.Password);
        await using var db = new DistributionDbContext(_database.Options);
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        Assert.Single(_keys.GetFiles("*.xml")); // left as it was, and no new key written there
    }

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
        using (var service = StartService())
        {
            await using var db = new DistributionDbContext(_database.Options);
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
            await using var db = new DistributionDbContext(_database.Options);
            var count = await VimCredentialKeyRotation.RotateAsync(
                service.GetRequiredService<IKeyManager>(), service.GetRequiredService<VimCredentialProtector>(), db, TimeProvider.System, revokeOld: true, CancellationToken.None);
            Assert.Equal(1, count);
        }

        using var restarted = StartService();
        await using var reader = new DistributionDbContext(_database.Options);
        var stored = await reader.Vims.AsNoTracking().SingleAsync(v => v.Id == "rotation_vim");
        Assert.Equal("kept-across-rotation", restarted.GetRequiredService<VimCredentialProtector>().Unprotect(stored.ProtectedCredentials)!.Password);
        Assert.Single(restarted.GetRequiredService<IKeyManager>().GetAllKeys(), k => !k.IsRevoked);
    }

    /// <summary>The Distribution's Data Protection set-up, on this test's database and old key folder.</summary>
    ServiceProvider StartService() => _database.KeyRingService(new ConfigurationBuilder().Build(), _keys);
}

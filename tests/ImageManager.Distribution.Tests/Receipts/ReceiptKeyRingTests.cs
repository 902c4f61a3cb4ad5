using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Receipts;
using ImageManager.Distribution.Tests.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageManager.Distribution.Tests.Receipts;

/// <summary>
/// The receipt signing keys, on a real PostgreSQL database with the service's Data Protection key ring: one key signs at a
/// time for every replica, it retires after its lifetime or at a rotation and stays published, revoked keys leave the
/// published set, and what a key signed verifies with the published set alone.
/// </summary>
public sealed class ReceiptKeyRingTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    ServiceProvider? _keyRing;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        _keyRing?.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task When_two_replicas_ask_for_the_signing_key_at_once_one_key_is_made_and_both_sign_with_it()
    {
        var replicas = new[] { KeyRing(), KeyRing() };

        var keys = await Task.WhenAll(replicas.Select(ring => Task.Run(() => ring.SigningKeyAsync(CancellationToken.None))));

        Assert.Equal(keys[0].KeyId, keys[1].KeyId);
        await using var db = new DistributionDbContext(_database.Options);
        Assert.Equal(1, await db.ReceiptKeys.CountAsync());
        Assert.Equal(keys[0].KeyId, Assert.Single((await replicas[0].PublishedAsync(CancellationToken.None)).Keys).KeyId);
    }

    [Fact]
    public async Task When_the_signing_key_outlives_its_lifetime_a_new_one_signs_and_the_old_one_stays_published_as_retired()
    {
        var ring = KeyRing();
        var first = await ring.SigningKeyAsync(CancellationToken.None);
        var signedBefore = Sign(first);

        _clock.Advance(TimeSpan.FromDays(91));
        var second = await ring.SigningKeyAsync(CancellationToken.None);
        var published = await ring.PublishedAsync(CancellationToken.None);

        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.Equal([second.KeyId, first.KeyId], published.Keys.Select(k => k.KeyId));
        Assert.Null(published.Keys[0].RetiredAt);
        Assert.Equal(_clock.GetUtcNow(), published.Keys[1].RetiredAt);
        Assert.True(await VerifiesAsync(signedBefore, published));
        Assert.True(await VerifiesAsync(Sign(second), published));
    }

    [Fact]
    public async Task When_the_key_is_rotated_with_revoke_old_receipts_of_the_old_key_no_longer_verify_with_the_published_keys()
    {
        var ring = KeyRing();
        var old = await ring.SigningKeyAsync(CancellationToken.None);
        var signedByOld = Sign(old);

        var newKeyId = await ring.RotateAsync(revokeOld: true, CancellationToken.None);
        var published = await ring.PublishedAsync(CancellationToken.None);

        Assert.Equal(newKeyId, Assert.Single(published.Keys).KeyId);
        Assert.Equal(newKeyId, (await ring.SigningKeyAsync(CancellationToken.None)).KeyId);
        Assert.False(await VerifiesAsync(signedByOld, published));
    }

    [Fact]
    public async Task When_the_data_protection_key_that_encrypted_the_signing_key_is_revoked_a_new_signing_key_replaces_it()
    {
        var ring = KeyRing();
        var unreadable = await ring.SigningKeyAsync(CancellationToken.None);
        var keys = _keyRing!.GetRequiredService<IKeyManager>();
        var ringKey = keys.GetAllKeys().Single().KeyId;
        keys.CreateNewKey(activationDate: DateTimeOffset.UtcNow, expirationDate: DateTimeOffset.UtcNow.AddDays(90));
        keys.RevokeKey(ringKey, "test: as rotate-credential-key --revoke-old does");
        _keyRing!.Dispose();
        _keyRing = null;

        var replacement = await KeyRing().SigningKeyAsync(CancellationToken.None);

        Assert.NotEqual(unreadable.KeyId, replacement.KeyId);
    }

    /// <summary>The service's key ring on this test's database (one Data Protection set-up for every ring of the test).</summary>
    ReceiptKeyRing KeyRing()
    {
        _keyRing ??= _database.KeyRingService(new ConfigurationBuilder().Build());
        return new ReceiptKeyRing(
            _database.Factory(), _keyRing.GetRequiredService<IDataProtectionProvider>(), Options.Create(new ReceiptOptions()), _clock, NullLogger<ReceiptKeyRing>.Instance);
    }

    static string Sign(ECDsaSecurityKey key) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "image-manager",
        TokenType = ReceiptEndpoints.TokenType,
        SigningCredentials = new SigningCredentials(key, ReceiptKeyRing.Algorithm),
        Claims = new Dictionary<string, object> { ["vimId"] = "receipt_vim" },
    });

    static async Task<bool> VerifiesAsync(string receipt, Contracts.Receipts.ReceiptKeySetResource published)
    {
        var keys = new JsonWebKeySet(System.Text.Json.JsonSerializer.Serialize(published));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(receipt, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidIssuer = "image-manager",
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        return result.IsValid;
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Certificates;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Catalog.Tests.Trust;

/// <summary>A trust store change, published on the real broker, withdraws the trust of what its revoked or removed certificates signed.</summary>
public sealed class TrustWithdrawalTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task When_the_signer_is_revoked_the_image_is_withdrawn_once_with_the_reason()
    {
        var authority = Hex();
        var signer = Signer(authority, serial: "0A" + Hex()[..8].ToUpperInvariant());
        var id = await app.CreateValidatedAsync($"revoked-{Guid.NewGuid():N}", signer);
        await using var withdrawals = await app.ListenAsync<ImageTrustWithdrawn>();
        var change = new TrustStoreChanged
        {
            TrustedAuthorities = [authority],
            Revoked = [new RevokedCertificate { Issuer = signer.Issuer, SerialNumber = signer.SerialNumber, RevokedAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), Reason = "keyCompromise" }],
            ReadAt = DateTimeOffset.UtcNow,
        };

        // As every Validation replica publishes it, and again at its next start.
        await Publish(change);
        await Publish(change);

        var image = await Eventually.Get(() => Read(id), i => i["trust"]!.GetValue<string>() == "withdrawn", TimeSpan.FromSeconds(30), "withdrawn");
        var expected = $"certificate {signer.Subject} revoked by {signer.Issuer} on 2026-12-01 08:00:00 UTC (keyCompromise)";
        Assert.Equal(expected, image["trustWithdrawnReason"]!.GetValue<string>());
        Assert.NotNull(image["trustWithdrawnAt"]);
        var withdrawn = await withdrawals.WaitForAsync(e => e.ImageId == id, "ImageTrustWithdrawn");
        Assert.Equal(expected, withdrawn.Reason);
        Assert.Equal(signer.Sha256Fingerprint, withdrawn.SignerSha256Fingerprint);
        await Publish(change with { ReadAt = DateTimeOffset.UtcNow });
        await Task.Delay(TimeSpan.FromSeconds(3)); // let any duplicate reach the listener
        Assert.Single(withdrawals.Where(e => e.ImageId == id));
    }

    [Fact]
    public async Task When_the_authority_leaves_the_trust_store_the_image_is_withdrawn_and_others_stay_trusted()
    {
        var removed = Hex();
        var kept = Hex();
        var orphan = await app.CreateValidatedAsync($"orphan-{Guid.NewGuid():N}", Signer(removed, "01"));
        var fine = await app.CreateValidatedAsync($"fine-{Guid.NewGuid():N}", Signer(kept, "02"));
        var unsigned = await app.CreateValidatedAsync($"unsigned-{Guid.NewGuid():N}");

        await Publish(new TrustStoreChanged { TrustedAuthorities = [kept, Hex()], Revoked = [], ReadAt = DateTimeOffset.UtcNow });

        var image = await Eventually.Get(() => Read(orphan), i => i["trust"]!.GetValue<string>() == "withdrawn", TimeSpan.FromSeconds(30), "withdrawn");
        Assert.Equal($"authority {removed} removed from the trust store", image["trustWithdrawnReason"]!.GetValue<string>());
        Assert.Equal("trusted", (await Read(fine))["trust"]!.GetValue<string>());
        Assert.Null((await Read(unsigned))["trust"]);
    }

    [Fact]
    public async Task When_a_trust_store_change_lists_no_authority_no_image_loses_trust_for_it()
    {
        var id = await app.CreateValidatedAsync($"empty-store-{Guid.NewGuid():N}", Signer(Hex(), "03"));
        var marker = await app.CreateValidatedAsync($"marker-{Guid.NewGuid():N}", Signer(Hex(), "04"));
        var markerSigner = (await Read(marker))["signedBy"]!;

        // The marker's revocation in the same message proves the message was handled.
        await Publish(new TrustStoreChanged
        {
            TrustedAuthorities = [],
            Revoked = [new RevokedCertificate { Issuer = markerSigner["issuer"]!.GetValue<string>(), SerialNumber = "04", RevokedAt = DateTimeOffset.UtcNow }],
            ReadAt = DateTimeOffset.UtcNow,
        });

        await Eventually.Get(() => Read(marker), i => i["trust"]!.GetValue<string>() == "withdrawn", TimeSpan.FromSeconds(30), "marker withdrawn");
        Assert.Equal("trusted", (await Read(id))["trust"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_an_image_is_withdrawn_it_is_no_longer_latest()
    {
        var name = $"latest-trust-{Guid.NewGuid():N}";
        var authority = Hex();
        var older = await app.CreateValidatedAsync(name, Signer(Hex(), "05"), version: "1.0");
        var newer = await app.CreateValidatedAsync(name, Signer(authority, "06"), version: "2.0");
        Assert.Equal(newer, await Latest(name));

        await Publish(new TrustStoreChanged
        {
            TrustedAuthorities = [Hex()],
            Revoked = [new RevokedCertificate { Issuer = "CN=Test CA " + authority[..8], SerialNumber = "06", RevokedAt = DateTimeOffset.UtcNow }],
            ReadAt = DateTimeOffset.UtcNow,
        });

        await Eventually.Get(() => Read(newer), i => i["trust"]!.GetValue<string>() == "withdrawn", TimeSpan.FromSeconds(30), "withdrawn");
        // The older one lost its authority in the same change: no version is latest.
        Assert.Equal("withdrawn", (await Read(older))["trust"]!.GetValue<string>());
        Assert.Null(await Latest(name));
    }

    [Fact]
    public async Task When_more_signed_images_than_one_batch_lose_their_authority_every_one_is_withdrawn()
    {
        var authority = Hex();
        var name = $"many-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // Written directly: 1,200 validations through the broker would only slow the test down.
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            db.Images.AddRange(Enumerable.Range(0, 1200).Select(i => new CatalogImage
            {
                Id = Guid.NewGuid(),
                Kind = "software-package",
                Name = name,
                Version = $"1.{i}",
                Status = "active",
                SignerSubject = $"CN=Vendor {i}",
                SignerIssuer = "CN=Bulk CA",
                SignerSerialNumber = $"{i:X4}",
                SignerSha256Fingerprint = Hex(),
                SignerAuthoritySha256Fingerprint = authority,
                CreatedAt = now,
                UpdatedAt = now,
            }));
            await db.SaveChangesAsync();
        }

        await Publish(new TrustStoreChanged { TrustedAuthorities = [Hex()], Revoked = [], ReadAt = DateTimeOffset.UtcNow });

        await Eventually.Get(
            async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Images.CountAsync(i => i.Name == name && i.TrustWithdrawnAt == null);
            },
            trusted => trusted == 0, TimeSpan.FromSeconds(60), "every image withdrawn");
    }

    async Task<Guid?> Latest(string name)
    {
        var list = (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images?name={name}&version=latest"))!;
        return list["images"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).Cast<Guid?>().SingleOrDefault();
    }

    static ImageSigner Signer(string authority, string serial) => new()
    {
        Subject = $"CN=Vendor {serial}, O=Acme",
        Issuer = $"CN=Test CA {authority[..8]}",
        SerialNumber = serial,
        Sha256Fingerprint = Hex(),
        NotAfter = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero),
        AuthoritySha256Fingerprint = authority,
        CertificatePem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    };

    static string Hex() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    Task Publish(TrustStoreChanged change) => app.Services.GetRequiredService<IBus>().Publish(change);

    async Task<JsonObject> Read(Guid id) => (await _http.GetFromJsonAsync<JsonObject>($"/api/v1/images/{id}"))!;
}

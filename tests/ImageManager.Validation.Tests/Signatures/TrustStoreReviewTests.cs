using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Certificates;
using ImageManager.Testing;
using ImageManager.Validation.Signatures;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>The trust store's state published on the bus (MassTransit's test harness), at start and when a revocation list arrives in the folder.</summary>
public sealed class TrustStoreReviewTests : IAsyncLifetime
{
    readonly TestAuthority _authority = new("Review Test CA");
    readonly ServiceProvider _provider;

    public TrustStoreReviewTests() => _provider = new ServiceCollection()
        .AddSingleton(TimeProvider.System)
        .AddSingleton(Options.Create(new SignatureOptions { TrustStore = _authority.TrustStore, TrustStoreReviewInterval = TimeSpan.FromMilliseconds(200) }))
        .AddSingleton<TrustStore>()
        .AddSingleton<TrustStoreReview>()
        .AddLogging()
        .AddMassTransitTestHarness()
        .BuildServiceProvider(true);

    ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    IHostedService Review => _provider.GetRequiredService<TrustStoreReview>();

    public async Task InitializeAsync()
    {
        await Harness.Start();
        await Review.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Review.StopAsync(CancellationToken.None);
        await Harness.Stop();
        await _provider.DisposeAsync();
        _authority.Dispose();
    }

    List<TrustStoreChanged> Published() =>
        [.. Harness.Published.Select<TrustStoreChanged>(new CancellationToken(canceled: true)).Select(message => message.Context.Message)];

    [Fact]
    public async Task When_a_revocation_list_is_put_in_the_folder_the_trust_store_is_published_again_with_its_entries()
    {
        var atStart = await Eventually.Get(() => Task.FromResult(Published()), published => published.Count == 1, TimeSpan.FromSeconds(10), "the state at start");
        var authority = Convert.ToHexStringLower(SHA256.HashData(_authority.Certificate.RawData));
        Assert.Equal([authority], atStart[0].TrustedAuthorities);
        Assert.Empty(atStart[0].Revoked);

        var (_, certificate) = _authority.IssueRsa();
        var revokedAt = new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.Zero);
        _authority.Revoke(certificate, X509RevocationReason.CessationOfOperation, revokedAt);

        var changed = (await Eventually.Get(() => Task.FromResult(Published()), published => published.Count == 2, TimeSpan.FromSeconds(10), "the state after the list"))[1];
        using var revoked = X509Certificate2.CreateFromPem(certificate);
        Assert.Equal([authority], changed.TrustedAuthorities);
        Assert.Equal(
            new RevokedCertificate { Issuer = "CN=Review Test CA", SerialNumber = revoked.SerialNumber.TrimStart('0'), RevokedAt = revokedAt, Reason = "cessationOfOperation" },
            Assert.Single(changed.Revoked));

        await Task.Delay(TimeSpan.FromSeconds(1)); // five more reviews of an unchanged folder
        Assert.Equal(2, Published().Count);
    }
}

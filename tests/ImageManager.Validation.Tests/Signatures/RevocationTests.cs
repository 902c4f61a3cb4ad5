using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Testing;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>Revocation lists in the trust store folder, made by the test authority, checked for every signature.</summary>
public sealed class RevocationTests : IDisposable
{
    readonly TestAuthority _authority = new();
    readonly byte[] _image = RandomNumberGenerator.GetBytes(10_000);
    readonly SignatureVerifier _verifier;

    public RevocationTests() => _verifier = TestTrust.Verifier(_authority.TrustStore);

    public void Dispose() => _authority.Dispose();

    Task<string?> Verify(RSA key, string certificate) =>
        _verifier.FailureAsync(TestAuthority.SignRsaPss(_image, key, certificate), new MemoryStream(_image), CancellationToken.None);

    static string Serial(string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return CertificateIdentifiers.SerialNumber(certificate);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_a_revocation_list_in_the_trust_store_revokes_the_signer_the_signature_fails_naming_issuer_date_and_reason(bool der)
    {
        var (key, certificate) = _authority.IssueRsa();
        Assert.Null(await Verify(key, certificate));
        var revokedAt = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);

        _authority.Revoke(certificate, X509RevocationReason.KeyCompromise, revokedAt, der: der);

        Assert.Equal(
            $"The certificate CN=vendor signing key (serial {Serial(certificate)}) was revoked by CN=Image Manager Test CA on 2026-03-01 12:30:00Z (keyCompromise).",
            await Verify(key, certificate));
    }

    [Fact]
    public async Task When_the_list_revokes_another_certificate_the_signer_is_still_trusted()
    {
        var (key, certificate) = _authority.IssueRsa();
        var (_, other) = _authority.IssueRsa();

        _authority.Revoke(other, X509RevocationReason.Superseded);

        Assert.Null(await Verify(key, certificate));
    }

    [Fact]
    public async Task When_the_issuers_revocation_list_is_past_its_next_update_its_certificates_fail_closed()
    {
        var (key, certificate) = _authority.IssueRsa();

        _authority.WriteRevocationList(nextUpdate: new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));

        var failure = await Verify(key, certificate);
        Assert.StartsWith("The revocation list of CN=Image Manager Test CA in the trust store (ca.crl) was due to be replaced on 2026-01-02 00:00:00Z", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_revocation_list_is_not_signed_by_an_authority_of_the_store_it_revokes_nothing()
    {
        var (key, certificate) = _authority.IssueRsa();
        using var impostor = new TestAuthority("Image Manager Test CA"); // the same name, another key
        impostor.Revoke(certificate);
        File.Copy(Path.Combine(impostor.TrustStore, "ca.crl"), Path.Combine(_authority.TrustStore, "forged.crl"));

        Assert.Null(await Verify(key, certificate));
        Assert.Contains(TestTrust.Store(_authority.TrustStore).Current().Problems, p => p.Contains("forged.crl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_file_of_the_folder_cannot_be_read_it_is_ignored_and_named_as_a_problem()
    {
        var (key, certificate) = _authority.IssueRsa();
        await File.WriteAllTextAsync(Path.Combine(_authority.TrustStore, "garbage.crl"), "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        await File.WriteAllTextAsync(Path.Combine(_authority.TrustStore, "empty.crt"), "not a certificate");

        Assert.Null(await Verify(key, certificate));
        var problems = TestTrust.Store(_authority.TrustStore).Current().Problems;
        Assert.Contains(problems, p => p.StartsWith("garbage.crl holds no revocation list that can be read", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("empty.crt holds no certificate that can be read", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_folder_has_not_changed_it_is_not_read_again_and_a_new_list_is_read_at_once()
    {
        var store = TestTrust.Store(_authority.TrustStore);
        var first = store.Current();

        Assert.Same(first, store.Current());

        var (_, certificate) = _authority.IssueRsa();
        _authority.Revoke(certificate);
        var after = store.Current();
        Assert.NotSame(first, after);
        Assert.Equal(Serial(certificate), Assert.Single(Assert.Single(after.RevocationLists).RevokedBySerialNumber).Key);
    }
}

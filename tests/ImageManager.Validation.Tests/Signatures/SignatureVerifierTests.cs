using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>Glance-style signatures with keys and certificates made in the test.</summary>
public sealed class SignatureVerifierTests : IDisposable
{
    readonly TestAuthority _authority = new();
    readonly byte[] _image = RandomNumberGenerator.GetBytes(300_000);

    SignatureVerifier Verifier(string? trustStore = null) => TestTrust.Verifier(trustStore ?? _authority.TrustStore);

    Task<string?> Verify(DeclaredSignature signature, byte[]? image = null, string? trustStore = null) =>
        Verifier(trustStore).FailureAsync(signature, new MemoryStream(image ?? _image), CancellationToken.None);

    public void Dispose() => _authority.Dispose();

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("SHA-384")]
    [InlineData("SHA-512")]
    public async Task When_an_rsa_pss_signature_is_made_with_a_trusted_certificate_it_is_accepted(string hashMethod)
    {
        var (key, certificate) = _authority.IssueRsa();

        Assert.Null(await Verify(TestAuthority.SignRsaPss(_image, key, certificate, hashMethod)));
    }

    [Fact]
    public async Task When_ecdsa_signatures_are_made_on_the_named_curves_they_are_accepted()
    {
        var (p384, p384Certificate) = _authority.IssueEcdsa(ECCurve.NamedCurves.nistP384);
        var (p521, p521Certificate) = _authority.IssueEcdsa(ECCurve.NamedCurves.nistP521);

        Assert.Null(await Verify(TestAuthority.SignEcdsa(_image, p384, p384Certificate, "ECC_SECP384R1")));
        Assert.Null(await Verify(TestAuthority.SignEcdsa(_image, p521, p521Certificate, "ECC_SECP521R1", "SHA-512")));
    }

    [Fact]
    public async Task When_openssl_signs_with_the_maximum_pss_salt_as_glances_signers_do_the_signature_is_accepted()
    {
        var (key, certificate) = _authority.IssueRsa();
        var folder = Directory.CreateTempSubdirectory("imagemanager-openssl-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
            await File.WriteAllBytesAsync(Path.Combine(folder, "image"), _image);
            var openssl = Process.Start(new ProcessStartInfo("openssl",
                ["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:max", "-sign", "key.pem", "-out", "image.sig", "image"])
            { WorkingDirectory = folder, RedirectStandardError = true })!;
            await openssl.WaitForExitAsync();
            Assert.Equal(0, openssl.ExitCode);
            var signature = new DeclaredSignature
            {
                Value = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(folder, "image.sig"))),
                HashMethod = "SHA-256",
                KeyType = "RSA-PSS",
                CertificatePem = certificate,
            };

            Assert.Null(await Verify(signature));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task When_the_image_was_tampered_with_the_signature_fails()
    {
        var (key, certificate) = _authority.IssueRsa();
        var signature = TestAuthority.SignRsaPss(_image, key, certificate);
        var tampered = (byte[])_image.Clone();
        tampered[12345] ^= 0xFF;

        Assert.Contains("does not match the image data", await Verify(signature, tampered), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_signed_with_another_key_than_the_certificates_the_signature_fails()
    {
        var (_, certificate) = _authority.IssueRsa();
        using var otherKey = RSA.Create(2048);

        Assert.Contains("does not match", await Verify(TestAuthority.SignRsaPss(_image, otherKey, certificate)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_certificate_has_expired_it_is_not_trusted()
    {
        var (key, certificate) = _authority.IssueRsa(notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        var failure = await Verify(TestAuthority.SignRsaPss(_image, key, certificate));

        Assert.Contains("is not trusted", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_certificate_comes_from_an_untrusted_authority_it_is_refused()
    {
        using var stranger = new TestAuthority("Somebody Else's CA");
        var (key, certificate) = stranger.IssueRsa();

        Assert.Contains("is not trusted", await Verify(TestAuthority.SignRsaPss(_image, key, certificate)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_certificate_may_not_sign_it_is_refused()
    {
        var (key, certificate) = _authority.IssueRsa(usage: X509KeyUsageFlags.KeyEncipherment);

        Assert.Contains("may not be used for digital signatures", await Verify(TestAuthority.SignRsaPss(_image, key, certificate)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SHA-224", "RSA-PSS", "hash method 'SHA-224' is not supported")]
    [InlineData("MD5", "RSA-PSS", "hash method 'MD5' is not supported")]
    [InlineData("SHA-256", "ECC_SECT571K1", "key type 'ECC_SECT571K1' is not supported")]
    [InlineData("SHA-256", "DSA", "key type 'DSA' is not supported")]
    public async Task When_the_hash_method_or_key_type_is_unsupported_the_signature_is_refused_saying_why(string hashMethod, string keyType, string reason)
    {
        var (key, certificate) = _authority.IssueRsa();
        var signature = TestAuthority.SignRsaPss(_image, key, certificate) with { HashMethod = hashMethod, KeyType = keyType };

        Assert.Contains(reason, await Verify(signature), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_key_type_does_not_match_the_certificate_the_signature_fails()
    {
        var (key, certificate) = _authority.IssueEcdsa(ECCurve.NamedCurves.nistP384);

        var failure = await Verify(TestAuthority.SignEcdsa(_image, key, certificate, "ECC_SECP521R1"));

        Assert.Contains("not a ECC_SECP521R1 key", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_authority_is_trusted_every_signature_fails_closed()
    {
        var (key, certificate) = _authority.IssueRsa();
        var empty = Directory.CreateTempSubdirectory("imagemanager-empty-trust-").FullName;

        var failure = await Verify(TestAuthority.SignRsaPss(_image, key, certificate), trustStore: empty);

        Assert.Contains("No certificate authority is trusted", failure, StringComparison.Ordinal);
        Directory.Delete(empty);
    }

    [Fact]
    public async Task When_the_signature_or_certificate_is_garbage_the_reason_says_so()
    {
        var (key, certificate) = _authority.IssueRsa();
        var signature = TestAuthority.SignRsaPss(_image, key, certificate);

        Assert.Contains("cannot be read", await Verify(signature with { Value = "not base64!" }), StringComparison.Ordinal);
        Assert.Contains("cannot be read", await Verify(signature with { CertificatePem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" }), StringComparison.Ordinal);
        Assert.Contains("no certificate", await Verify(signature with { CertificatePem = null }), StringComparison.Ordinal);
    }
}

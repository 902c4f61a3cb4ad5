using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>
/// Signing certificates checked with a real OCSP responder (<c>openssl ocsp</c> over the test authority's index, on
/// 127.0.0.1), as <c>Signatures:Ocsp</c> says: good, revoked, unknown, down, and answers signed by someone else.
/// </summary>
public sealed class OcspTests : IDisposable
{
    readonly TestAuthority _authority = new();
    readonly byte[] _image = RandomNumberGenerator.GetBytes(10_000);
    readonly List<IDisposable> _responders = [];

    public void Dispose()
    {
        _responders.ForEach(responder => responder.Dispose());
        _authority.Dispose();
    }

    OpenSslOcspResponder Responder(TestAuthority? delegatedBy = null, bool byIssuer = false)
    {
        OpenSslOcspResponder responder;
        if (byIssuer)
        {
            responder = new OpenSslOcspResponder(_authority);
        }
        else
        {
            var (key, certificate) = (delegatedBy ?? _authority).IssueOcspResponder();
            using (key)
            {
                responder = new OpenSslOcspResponder(_authority, (certificate, key.ExportPkcs8PrivateKeyPem()));
            }
        }

        _responders.Add(responder);
        return responder;
    }

    /// <summary>Where a responder was: nothing listens there any more.</summary>
    Uri GoneResponder()
    {
        using var gone = new OpenSslOcspResponder(_authority);
        return gone.Address;
    }

    Task<string?> Verify(SignatureVerifier verifier, RSA key, string certificate) =>
        verifier.FailureAsync(TestAuthority.SignRsaPss(_image, key, certificate), new MemoryStream(_image), CancellationToken.None);

    SignatureVerifier Verifier(OcspMode mode, Uri responder) =>
        TestTrust.Verifier(_authority.TrustStore, new OcspOptions { Mode = mode, Responder = responder, Timeout = TimeSpan.FromSeconds(20) });

    static string Serial(string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return CertificateIdentifiers.SerialNumber(certificate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_the_responder_says_good_the_signature_is_accepted_and_the_answer_kept_until_its_next_update(bool byIssuer)
    {
        var (key, certificate) = _authority.IssueRsa();
        var responder = Responder(byIssuer: byIssuer);
        responder.Good(certificate);
        var verifier = Verifier(OcspMode.Required, responder.Address);

        Assert.Null(await Verify(verifier, key, certificate));
        Assert.Null(await Verify(verifier, key, certificate));

        Assert.Equal(1, responder.Answered);
    }

    [Fact]
    public async Task When_the_responder_says_revoked_the_signature_fails_naming_issuer_date_and_reason()
    {
        var (key, certificate) = _authority.IssueRsa();
        var responder = Responder();
        responder.Revoke(certificate, X509RevocationReason.KeyCompromise, new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero));

        var failure = await Verify(Verifier(OcspMode.IfAvailable, responder.Address), key, certificate);

        Assert.Equal(
            $"The certificate CN=vendor signing key (serial {Serial(certificate)}) was revoked by CN=Image Manager Test CA on 2026-03-01 12:30:00Z (keyCompromise), says its OCSP responder {responder.Address}.",
            failure);
    }

    [Fact]
    public async Task When_no_responder_is_configured_the_one_the_certificate_names_is_asked()
    {
        var responder = Responder();
        var (key, certificate) = _authority.IssueRsa(ocspResponder: responder.Address);
        responder.Revoke(certificate, X509RevocationReason.Superseded, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var verifier = TestTrust.Verifier(_authority.TrustStore, new OcspOptions { Mode = OcspMode.Required, Timeout = TimeSpan.FromSeconds(20) });

        var failure = await Verify(verifier, key, certificate);

        Assert.EndsWith($"on 2026-04-01 00:00:00Z (superseded), says its OCSP responder {responder.Address}.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_certificate_names_no_responder_and_none_is_configured_Required_fails_saying_so()
    {
        var (key, certificate) = _authority.IssueRsa();
        var verifier = TestTrust.Verifier(_authority.TrustStore, new OcspOptions { Mode = OcspMode.Required });

        var failure = await Verify(verifier, key, certificate);

        Assert.EndsWith("the certificate names no OCSP responder and Signatures:Ocsp:Responder is not set.", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OcspMode.Off, false)]
    [InlineData(OcspMode.IfAvailable, false)]
    [InlineData(OcspMode.Required, true)]
    public async Task When_the_responder_is_down_only_Required_fails_closed(OcspMode mode, bool fails)
    {
        var (key, certificate) = _authority.IssueRsa();
        var address = GoneResponder();

        var failure = await Verify(Verifier(mode, address), key, certificate);

        if (fails)
        {
            Assert.StartsWith(
                $"Whether the certificate CN=vendor signing key (serial {Serial(certificate)}) has been revoked cannot be established, and Signatures:Ocsp:Mode is Required: the OCSP responder {address} could not be asked",
                failure, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(failure);
        }
    }

    [Fact]
    public async Task When_the_responder_is_down_and_IfAvailable_the_trust_stores_list_still_revokes()
    {
        var (key, certificate) = _authority.IssueRsa();
        _authority.Revoke(certificate, X509RevocationReason.Superseded);
        var address = GoneResponder();

        var failure = await Verify(Verifier(OcspMode.IfAvailable, address), key, certificate);

        Assert.StartsWith($"The certificate CN=vendor signing key (serial {Serial(certificate)}) was revoked by CN=Image Manager Test CA on ", failure, StringComparison.Ordinal);
        Assert.EndsWith("(superseded).", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OcspMode.IfAvailable, false)]
    [InlineData(OcspMode.Required, true)]
    public async Task When_the_responder_does_not_know_the_certificate_only_Required_fails(OcspMode mode, bool fails)
    {
        var (key, certificate) = _authority.IssueRsa();
        var responder = Responder(); // its index does not list the certificate

        var failure = await Verify(Verifier(mode, responder.Address), key, certificate);

        Assert.Equal(1, responder.Answered);
        if (fails)
        {
            Assert.EndsWith($"the OCSP responder {responder.Address} does not know the certificate (status unknown).", failure, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(failure);
        }
    }

    [Fact]
    public async Task When_a_good_answer_is_signed_by_a_responder_another_authority_of_the_same_name_delegated_it_is_not_believed()
    {
        var (key, certificate) = _authority.IssueRsa();
        using var impostor = new TestAuthority("Image Manager Test CA"); // the same name, another key
        var forger = Responder(delegatedBy: impostor);
        forger.Good(certificate);

        var failure = await Verify(Verifier(OcspMode.Required, forger.Address), key, certificate);

        Assert.Equal(1, forger.Answered);
        Assert.EndsWith(
            $"the answer of the OCSP responder {forger.Address} is signed neither by CN=Image Manager Test CA nor by a responder it delegated (OCSP signing); it is not believed.",
            failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_issuers_list_is_past_its_next_update_a_good_answer_stands_in_for_it()
    {
        var (key, certificate) = _authority.IssueRsa();
        _authority.WriteRevocationList(nextUpdate: new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var responder = Responder();
        responder.Good(certificate);

        Assert.StartsWith("The revocation list of CN=Image Manager Test CA in the trust store (ca.crl) was due to be replaced",
            await Verify(Verifier(OcspMode.Off, responder.Address), key, certificate), StringComparison.Ordinal);
        Assert.Null(await Verify(Verifier(OcspMode.IfAvailable, responder.Address), key, certificate));
    }

    [Fact]
    public async Task When_the_responder_says_the_manifests_signer_is_revoked_the_sol004_package_is_rejected()
    {
        var (key, certificate) = _authority.IssueRsa();
        var responder = Responder();
        responder.Revoke(certificate, X509RevocationReason.KeyCompromise, new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.Zero));
        await using var validation = new ValidationHarness(
            new SignatureOptions { TrustStore = _authority.TrustStore }, ocsp: new OcspOptions { Mode = OcspMode.Required, Responder = responder.Address });
        await validation.Harness.Start();
        var manifest = CsarFile.SignWithOpenSsl(CsarFile.Manifest(("Definitions/vnfd.yaml", "SHA-256", CsarFile.Sha256(CsarFile.Vnfd))), certificate, key);
        var upload = await validation.StorePackageAsync(CsarFile.Write(Path.Combine(validation.Root, "signed.csar"), manifest, []));

        await validation.Harness.Bus.Publish(upload);

        var rejected = await validation.SingleVerdict<ImageRejected>(upload.ImageId);
        Assert.Equal(
            $"The software package (csar) was refused: the manifest's signer cannot be trusted: The certificate CN=vendor signing key (serial {Serial(certificate)}) was revoked by CN=Image Manager Test CA on 2026-03-01 12:30:00Z (keyCompromise), says its OCSP responder {responder.Address}.",
            rejected.Reason);
    }
}

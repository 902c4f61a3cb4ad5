using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>An operator's signature policy, through the consumer on the test harness.</summary>
public sealed class SignaturePolicyTests : IAsyncLifetime
{
    readonly ValidationHarness _validation = new(new SignatureOptions
    {
        TrustStore = TestAuthority.Shared.TrustStore,
        RequiredForVendors = ["Acme"],
    });

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync() => await _validation.DisposeAsync();

    /// <summary>Random bytes that cannot start like an archive (gzip, zip, ar...): a plain binary package.</summary>
    static byte[] PlainBinary(int size)
    {
        var bytes = ValidationHarness.RandomBytes(size);
        bytes[0] = 0x7F; // ELF-like: no archive begins so
        return bytes;
    }

    [Fact]
    public async Task When_a_vendor_must_sign_its_unsigned_image_is_rejected_and_other_vendors_pass()
    {
        var acme = await _validation.StoreAsync(PlainBinary(2000)) with { Vendor = "acme", Kind = "software-package" };
        var other = await _validation.StoreAsync(PlainBinary(2000)) with { Vendor = "globex", Kind = "software-package" };

        await _validation.Harness.Bus.Publish(acme);
        await _validation.Harness.Bus.Publish(other);

        var rejected = await _validation.SingleVerdict<ImageRejected>(acme.ImageId);
        Assert.Contains("vendor 'acme' must be", rejected.Reason, StringComparison.Ordinal);
        Assert.Null((await _validation.SingleVerdict<ImageValidated>(other.ImageId)).SignedBy);
    }

    [Fact]
    public async Task When_the_vendor_signs_with_a_trusted_certificate_the_image_is_validated()
    {
        var bytes = PlainBinary(5000);
        var (key, certificate) = TestAuthority.Shared.IssueRsa();
        var upload = await _validation.StoreAsync(bytes) with
        {
            Vendor = "Acme",
            Kind = "software-package",
            Signature = TestAuthority.SignRsaPss(bytes, key, certificate, "SHA-512"),
        };

        await _validation.Harness.Bus.Publish(upload);

        var signer = (await _validation.SingleVerdict<ImageValidated>(upload.ImageId)).SignedBy;
        using var expected = X509Certificate2.CreateFromPem(certificate);
        Assert.NotNull(signer);
        Assert.Equal(
            ("CN=vendor signing key", "CN=Image Manager Test CA", expected.SerialNumber.TrimStart('0'), Convert.ToHexStringLower(SHA256.HashData(expected.RawData))),
            (signer.Subject, signer.Issuer, signer.SerialNumber, signer.Sha256Fingerprint));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestAuthority.Shared.Certificate.RawData)), signer.AuthoritySha256Fingerprint);
        Assert.Equal(new DateTimeOffset(expected.NotAfter.ToUniversalTime()), signer.NotAfter);
        using var carried = X509Certificate2.CreateFromPem(signer.CertificatePem);
        Assert.Equal(expected.RawData, carried.RawData);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using ImageManager.Validation.Signatures;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>
/// ETSI SOL004 signatures of VNF packages (CSARs), through the consumer: the manifest's CMS signature (made by
/// <c>openssl cms</c>, as vendors make it, or by .NET), the signer's certificate in the signature or in the package's
/// <c>.cert</c> file, checked against the trust store; the signature policy for vendor <c>acme</c>, named in the manifest.
/// </summary>
public sealed class CsarSignatureTests : IAsyncLifetime
{
    readonly ValidationHarness _validation = new(new SignatureOptions { TrustStore = TestAuthority.Shared.TrustStore, RequiredForVendors = ["Acme"] });
    readonly string _folder = Directory.CreateTempSubdirectory("imagemanager-csar-signature-").FullName;
    readonly byte[] _changeLog = Encoding.UTF8.GetBytes("1.0: first release\n");

    public Task InitializeAsync() => _validation.Harness.Start();

    public async Task DisposeAsync()
    {
        await _validation.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    string Manifest() => CsarFile.Manifest(("Definitions/vnfd.yaml", "SHA-256", CsarFile.Sha256(CsarFile.Vnfd)), ("Files/ChangeLog.txt", "SHA-512", CsarFile.Sha512(_changeLog)));

    async Task<object> ValidateAsync(string manifest, string? entryCertificate = null, params (string Name, byte[] Bytes)[] more)
    {
        var path = CsarFile.Write(Path.Combine(_folder, $"{Guid.NewGuid():N}.csar"), manifest, [("Files/ChangeLog.txt", _changeLog), .. more], entryCertificate: entryCertificate);
        var upload = await _validation.StorePackageAsync(path);
        await _validation.Harness.Bus.Publish(upload);
        Assert.True(await _validation.Harness.Published.Any<ImageValidated>(x => x.Context.Message.ImageId == upload.ImageId)
                    || await _validation.Harness.Published.Any<ImageRejected>(x => x.Context.Message.ImageId == upload.ImageId));
        return _validation.Harness.Published.Select<ImageValidated>(x => x.Context.Message.ImageId == upload.ImageId, new CancellationToken(canceled: true))
                   .Select(x => (object)x.Context.Message).SingleOrDefault()
               ?? await _validation.SingleVerdict<ImageRejected>(upload.ImageId);
    }

    static string Reason(object verdict) => Assert.IsType<ImageRejected>(verdict).Reason;

    [Fact]
    public async Task When_the_manifest_ends_with_a_bogus_cms_block_the_package_is_rejected_saying_so()
    {
        var manifest = Manifest() + "-----BEGIN CMS-----\nVGhpcyBpcyBub3QgYSBzaWduYXR1cmUu\n-----END CMS-----\n";

        var reason = Reason(await ValidateAsync(manifest));

        Assert.StartsWith("The software package (csar) was refused: the manifest's signature block is not a CMS signature", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_openssl_cms_signs_the_manifest_the_package_is_validated_and_signed_by_the_certificate_in_the_signature()
    {
        var (key, certificate) = TestAuthority.Shared.IssueRsa();

        var verdict = Assert.IsType<ImageValidated>(await ValidateAsync(CsarFile.SignWithOpenSsl(Manifest(), certificate, key)));

        using var expected = X509Certificate2.CreateFromPem(certificate);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected.RawData)), verdict.SignedBy?.Sha256Fingerprint);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestAuthority.Shared.Certificate.RawData)), verdict.SignedBy?.AuthoritySha256Fingerprint);
    }

    [Fact]
    public async Task When_the_certificate_is_only_in_the_packages_cert_file_named_by_tosca_meta_the_signature_is_verified_with_it()
    {
        var (key, certificate) = TestAuthority.Shared.IssueRsa();
        var manifest = CsarFile.SignWithOpenSsl(Manifest(), certificate, key, withoutCertificate: true);

        var verdict = await ValidateAsync(manifest, "Files/Certificates/vendor.cert", ("Files/Certificates/vendor.cert", Encoding.ASCII.GetBytes(certificate)));

        Assert.Equal("CN=vendor signing key", Assert.IsType<ImageValidated>(verdict).SignedBy?.Subject);
    }

    [Fact]
    public async Task When_no_certificate_comes_with_the_signature_the_package_is_rejected()
    {
        var (key, certificate) = TestAuthority.Shared.IssueRsa();

        var reason = Reason(await ValidateAsync(CsarFile.SignWithOpenSsl(Manifest(), certificate, key, withoutCertificate: true)));

        Assert.Contains("the signer's certificate is neither in the signature nor in the package", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_manifest_was_changed_after_it_was_signed_the_package_is_rejected()
    {
        var (key, certificate) = TestAuthority.Shared.IssueRsa();
        var signed = CsarFile.SignWithOpenSsl(Manifest(), certificate, key);

        var reason = Reason(await ValidateAsync(signed.Replace("vnf_product_name: test-vnf", "vnf_product_name: evil-vnf", StringComparison.Ordinal)));

        Assert.Contains("the manifest's CMS signature does not match the manifest", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_dotnet_signs_the_manifest_with_an_ecdsa_key_the_package_is_validated()
    {
        var (key, certificatePem) = TestAuthority.Shared.IssueEcdsa(ECCurve.NamedCurves.nistP384);
        using var certificate = X509Certificate2.CreateFromPem(certificatePem).CopyWithPrivateKey(key);
        var manifest = Manifest();
        var cms = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes(manifest)), detached: true);
        cms.ComputeSignature(new CmsSigner(certificate));

        var verdict = await ValidateAsync(manifest + PemEncoding.WriteString("CMS", cms.Encode()) + "\n");

        Assert.Equal("CN=vendor ecc signing key", Assert.IsType<ImageValidated>(verdict).SignedBy?.Subject);
    }

    [Fact]
    public async Task When_an_artifact_carries_its_own_openssl_signature_it_is_verified_and_a_signature_over_other_bytes_is_rejected()
    {
        var (key, certificate) = TestAuthority.Shared.IssueRsa();
        var entry = $"Hash: {CsarFile.Sha512(_changeLog)}\n";
        var manifest = Manifest().Replace(entry, entry + "Signature: Files/ChangeLog.txt.sig.cms\nCertificate: Files/Certificates/vendor.cert\n", StringComparison.Ordinal);
        (string, byte[]) certificateFile = ("Files/Certificates/vendor.cert", Encoding.ASCII.GetBytes(certificate));

        var signed = await ValidateAsync(
            CsarFile.SignWithOpenSsl(manifest, certificate, key), null, certificateFile,
            ("Files/ChangeLog.txt.sig.cms", Encoding.ASCII.GetBytes(CsarFile.OpenSslSignature(_changeLog, certificate, key, withoutCertificate: true))));
        var forged = await ValidateAsync(
            CsarFile.SignWithOpenSsl(manifest, certificate, key), null, certificateFile,
            ("Files/ChangeLog.txt.sig.cms", Encoding.ASCII.GetBytes(CsarFile.OpenSslSignature(CsarFile.Vnfd, certificate, key))));

        Assert.IsType<ImageValidated>(signed);
        Assert.Contains("the signature of 'Files/ChangeLog.txt' does not match it", Reason(forged), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_signers_certificate_is_revoked_the_package_is_rejected_naming_the_revocation()
    {
        using var authority = new TestAuthority("Package Test CA");
        await using var validation = new ValidationHarness(new SignatureOptions { TrustStore = authority.TrustStore });
        await validation.Harness.Start();
        var (key, certificate) = authority.IssueRsa();
        authority.Revoke(certificate, X509RevocationReason.KeyCompromise);
        var path = CsarFile.Write(Path.Combine(_folder, "revoked.csar"), CsarFile.SignWithOpenSsl(Manifest(), certificate, key), [("Files/ChangeLog.txt", _changeLog)]);
        var upload = await validation.StorePackageAsync(path);

        await validation.Harness.Bus.Publish(upload);

        var reason = (await validation.SingleVerdict<ImageRejected>(upload.ImageId)).Reason;
        Assert.Contains("was revoked by CN=Package Test CA on", reason, StringComparison.Ordinal);
        Assert.EndsWith("(keyCompromise).", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_signed_csar_brings_a_disk_image_the_image_is_signed_by_the_package_signer_until_that_signer_is_revoked()
    {
        using var authority = new TestAuthority("Package Image Test CA");
        await using var validation = new ValidationHarness(new SignatureOptions { TrustStore = authority.TrustStore });
        await validation.Harness.Start();
        var (key, certificate) = authority.IssueRsa();
        var disk = ValidationHarness.RandomBytes(1 << 20);
        var manifest = CsarFile.Manifest(("Files/images/data.img", "SHA-256", CsarFile.Sha256(disk)));
        var path = CsarFile.Write(Path.Combine(_folder, "with-image.csar"), CsarFile.SignWithOpenSsl(manifest, certificate, key), [("Files/images/data.img", disk)]);
        var package = await validation.StorePackageAsync(path);

        await validation.Harness.Bus.Publish(package);

        var packageSigner = (await validation.SingleVerdict<ImageValidated>(package.ImageId)).SignedBy;
        var extracted = Assert.Single(validation.Harness.Published.Select<PackageImageExtracted>(new CancellationToken(canceled: true))).Context.Message;
        Assert.NotNull(packageSigner);
        Assert.Equal(packageSigner, extracted.SignedBy);

        // What the catalogue publishes for the extracted image (PackageImageExtractedConsumer), the package's signer handed back.
        ImageUploaded ImageUpload() => new()
        {
            ImageId = Guid.NewGuid(),
            Name = "vnf/images/data.img",
            Version = "1",
            Kind = ImageKinds.VmImage,
            DiskFormat = extracted.DiskFormat,
            ContainerFormat = "bare",
            SizeBytes = extracted.SizeBytes,
            Sha256 = extracted.Sha256,
            DeclaredSha256 = extracted.ManifestHash,
            PackageId = package.ImageId,
            PackageSignedBy = extracted.SignedBy,
            UploadedAt = DateTimeOffset.UtcNow,
        };
        var image = ImageUpload();
        await validation.Harness.Bus.Publish(image);
        Assert.Equal(packageSigner, (await validation.SingleVerdict<ImageValidated>(image.ImageId)).SignedBy);

        authority.Revoke(certificate, X509RevocationReason.KeyCompromise);
        var again = ImageUpload();
        await validation.Harness.Bus.Publish(again);
        Assert.StartsWith("The package's signer is no longer trusted: The certificate CN=vendor signing key", (await validation.SingleVerdict<ImageRejected>(again.ImageId)).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_a_zip_holds_a_csar_with_its_openssl_signature_and_certificate_the_signature_is_verified_and_the_csar_checked(bool signatureMatches)
    {
        var (key, certificate) = TestAuthority.Shared.IssueRsa();
        var disk = ValidationHarness.RandomBytes(1 << 20);
        var inner = await File.ReadAllBytesAsync(CsarFile.Write(
            Path.Combine(_folder, $"{Guid.NewGuid():N}.csar"), CsarFile.Manifest(("Files/images/data.img", "SHA-256", CsarFile.Sha256(disk))), [("Files/images/data.img", disk)]));
        var outer = Path.Combine(_folder, $"{Guid.NewGuid():N}.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(outer, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in new[]
                     {
                         ("vnf.csar", inner),
                         ("vnf.cms", Encoding.ASCII.GetBytes(CsarFile.OpenSslSignature(signatureMatches ? inner : disk, certificate, key, withoutCertificate: true))),
                         ("vnf.cert", Encoding.ASCII.GetBytes(certificate)),
                     })
            {
                await using var stream = zip.CreateEntry(name).Open();
                await stream.WriteAsync(bytes);
            }
        }

        var upload = await _validation.StorePackageAsync(outer);
        await _validation.Harness.Bus.Publish(upload);

        if (signatureMatches)
        {
            var validated = await _validation.SingleVerdict<ImageValidated>(upload.ImageId);
            Assert.Equal(("csar", "CN=vendor signing key"), (validated.DetectedType, validated.SignedBy?.Subject));
            var extracted = Assert.Single(_validation.Harness.Published.Select<PackageImageExtracted>(x => x.Context.Message.PackageId == upload.ImageId, new CancellationToken(canceled: true)));
            Assert.Equal((CsarFile.Sha256(disk), validated.SignedBy), (extracted.Context.Message.Sha256, extracted.Context.Message.SignedBy));
            Assert.False(await _validation.Blobs.ExistsAsync(CsarFile.Sha256(inner), CancellationToken.None)); // the CSAR's copy, only for reading
        }
        else
        {
            Assert.StartsWith(
                "The software package (csar) was refused: the signature of 'vnf.csar' does not match it (certificate CN=vendor signing key",
                (await _validation.SingleVerdict<ImageRejected>(upload.ImageId)).Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task When_the_signer_chains_to_no_trusted_authority_the_package_is_rejected()
    {
        using var stranger = new TestAuthority("Somebody Else's CA");
        var (key, certificate) = stranger.IssueRsa();

        Assert.Contains("is not trusted", Reason(await ValidateAsync(CsarFile.SignWithOpenSsl(Manifest(), certificate, key))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_vendor_named_in_the_manifest_must_sign_an_unsigned_package_is_rejected()
    {
        Assert.Equal("The package is not signed, and packages of vendor 'acme' must be.", Reason(await ValidateAsync(Manifest())));
    }

    [Fact]
    public async Task When_no_policy_requires_it_an_unsigned_package_is_accepted_without_a_signer()
    {
        var verdict = await ValidateAsync(Manifest().Replace("vnf_provider_id: acme", "vnf_provider_id: globex", StringComparison.Ordinal));

        Assert.Null(Assert.IsType<ImageValidated>(verdict).SignedBy);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Images;

namespace ImageManager.Testing;

/// <summary>A certificate authority made for the tests, its PEM in a trust-store folder, and signers it certifies.</summary>
public sealed class TestAuthority : IDisposable
{
    readonly RSA _key = RSA.Create(3072);

    /// <summary>The certificates this authority revoked so far, as its next revocation list lists them.</summary>
    readonly CertificateRevocationListBuilder _revocations = new();
    int _revocationListNumber;

    public TestAuthority(string name = "Image Manager Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        // Under the checkout's git-ignored test output: the shared authority lives as long as the test process.
        TrustStore = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, $"trust-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(TrustStore, "ca.pem"), Certificate.ExportCertificatePem());
    }

    /// <summary>Shared by the harness: one authority per test run is enough.</summary>
    public static TestAuthority Shared { get; } = new();

    public X509Certificate2 Certificate { get; }
    public string TrustStore { get; }

    /// <summary>The authority's private key (PKCS#8 PEM), for a responder that signs its OCSP answers with it (<see cref="OpenSslOcspResponder"/>).</summary>
    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// Revokes a certificate this authority issued and writes the authority's revocation list, every revocation so far,
    /// into its trust-store folder (<c>ca.crl</c>, PEM unless <paramref name="der"/>); the list is stale after
    /// <paramref name="nextUpdate"/> (a week from now by default).
    /// </summary>
    public string Revoke(
        string certificatePem, X509RevocationReason reason = X509RevocationReason.KeyCompromise, DateTimeOffset? revokedAt = null,
        DateTimeOffset? nextUpdate = null, bool der = false)
    {
        using (var certificate = X509Certificate2.CreateFromPem(certificatePem))
        {
            lock (_revocations)
            {
                _revocations.AddEntry(certificate, revokedAt ?? DateTimeOffset.UtcNow.AddMinutes(-1), reason);
            }
        }

        return WriteRevocationList(nextUpdate, der);
    }

    /// <summary>Writes the authority's revocation list as it stands (possibly empty) into the trust-store folder; returns its path.</summary>
    public string WriteRevocationList(DateTimeOffset? nextUpdate = null, bool der = false)
    {
        var list = RevocationList(nextUpdate);
        var path = Path.Combine(TrustStore, "ca.crl");
        if (der)
        {
            File.WriteAllBytes(path, list);
        }
        else
        {
            File.WriteAllText(path, PemEncoding.WriteString("X509 CRL", list));
        }

        return path;
    }

    /// <summary>The authority's revocation list (DER) as it stands, signed now, valid until <paramref name="nextUpdate"/>.</summary>
    public byte[] RevocationList(DateTimeOffset? nextUpdate = null)
    {
        var next = nextUpdate ?? DateTimeOffset.UtcNow.AddDays(7);
        var thisUpdate = next < DateTimeOffset.UtcNow ? next.AddDays(-7) : DateTimeOffset.UtcNow.AddMinutes(-5);
        lock (_revocations)
        {
            // The self-signed certificate holds the authority's key.
            return _revocations.Build(Certificate, ++_revocationListNumber, next, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, thisUpdate);
        }
    }

    /// <summary>A signing certificate for an RSA key (RSA-PSS signatures).</summary>
    /// <remarks><paramref name="ocspResponder"/>: the OCSP responder its Authority Information Access extension names.</remarks>
    public (RSA Key, string CertificatePem) IssueRsa(DateTimeOffset? notAfter = null, X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature, Uri? ocspResponder = null)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=vendor signing key", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (ocspResponder is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspResponder.ToString()], null));
        }

        return (key, Issue(request, notAfter, usage));
    }

    /// <summary>A responder certificate to which the authority delegates its OCSP answers (OCSP-signing extended key usage, RFC 6960 4.2.2.2).</summary>
    public (RSA Key, string CertificatePem) IssueOcspResponder()
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Image Manager Test OCSP responder", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.9")], true)); // id-kp-OCSPSigning
        return (key, Issue(request, null, X509KeyUsageFlags.DigitalSignature));
    }

    /// <summary>A signing certificate for an ECDSA key on <paramref name="curve"/>.</summary>
    public (ECDsa Key, string CertificatePem) IssueEcdsa(ECCurve curve)
    {
        var key = ECDsa.Create(curve);
        var request = new CertificateRequest("CN=vendor ecc signing key", key, HashAlgorithmName.SHA384);
        return (key, Issue(request, null, X509KeyUsageFlags.DigitalSignature));
    }

    /// <summary>
    /// A TLS server certificate, with its private key, for host names and IP addresses (subject alternative names), as
    /// a VIM serving HTTPS has.
    /// </summary>
    public X509Certificate2 IssueTlsServer(params string[] names)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (System.Net.IPAddress.TryParse(name, out var address))
            {
                alternatives.AddIpAddress(address);
            }
            else
            {
                alternatives.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var issuer = X509SignatureGenerator.CreateForRSA(_key, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(Certificate.SubjectName, issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    public static DeclaredSignature SignRsaPss(byte[] data, RSA key, string certificatePem, string hashMethod = "SHA-256")
    {
        var algorithm = new HashAlgorithmName(hashMethod.Replace("-", "", StringComparison.Ordinal));
        var signature = key.SignData(data, algorithm, RSASignaturePadding.Pss);
        return new DeclaredSignature { Value = Convert.ToBase64String(signature), HashMethod = hashMethod, KeyType = "RSA-PSS", CertificatePem = certificatePem };
    }

    public static DeclaredSignature SignEcdsa(byte[] data, ECDsa key, string certificatePem, string keyType, string hashMethod = "SHA-384")
    {
        var algorithm = new HashAlgorithmName(hashMethod.Replace("-", "", StringComparison.Ordinal));
        var signature = key.SignData(data, algorithm, DSASignatureFormat.Rfc3279DerSequence);
        return new DeclaredSignature { Value = Convert.ToBase64String(signature), HashMethod = hashMethod, KeyType = keyType, CertificatePem = certificatePem };
    }

    string Issue(CertificateRequest request, DateTimeOffset? notAfter, X509KeyUsageFlags usage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var end = notAfter ?? DateTimeOffset.UtcNow.AddYears(1);
        var start = end < DateTimeOffset.UtcNow ? end.AddDays(-30) : DateTimeOffset.UtcNow.AddDays(-1);
        var serial = RandomNumberGenerator.GetBytes(12);
        // The authority's RSA key signs leaf certificates of any key type.
        var issuer = X509SignatureGenerator.CreateForRSA(_key, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(Certificate.SubjectName, issuer, start, end, serial);
        return issued.ExportCertificatePem();
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
        Directory.Delete(TrustStore, recursive: true);
    }
}

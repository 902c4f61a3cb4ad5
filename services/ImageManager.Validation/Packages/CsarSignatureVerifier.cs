using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImageManager.Validation.Formats;
using ImageManager.Validation.Signatures;
using Org.BouncyCastle.Cms;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Verifies the ETSI SOL004 signatures of a CSAR that passed its manifest check. The manifest may end with a CMS
/// signature block (<c>-----BEGIN CMS-----</c> … <c>-----END CMS-----</c>): a detached signature over the manifest's
/// bytes before the block, as <c>openssl cms -sign -binary -outform PEM</c> writes it. The signer's certificate is in
/// the signature, or in the package (the file <c>TOSCA.meta</c> names as <c>ETSI-Entry-Certificate</c>, or a
/// <c>.cert</c> file beside the manifest with its name), or declared with the upload; it must be trusted now
/// (<see cref="CertificateTrust"/>). Since the manifest holds every file's digest, its signature vouches for the whole
/// package. An artifact whose manifest entry names a <c>Signature</c> file has that CMS signature verified too, against
/// the digest measured as the zip streamed past (BouncyCastle takes a precomputed digest; .NET's <c>SignedCms</c> would
/// need the artifact, possibly gigabytes, in memory). A signature present is always verified, whatever the policy says.
/// </summary>
public sealed class CsarSignatureVerifier(CertificateTrust trust)
{
    const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    const string Sha512Oid = "2.16.840.1.101.3.4.2.3";

    /// <summary>
    /// The manifest's signer when the manifest is signed, nothing when it is not (and no artifact signature fails), or
    /// why a signature does not hold. <paramref name="declaredCertificatePem"/> is a certificate declared with the upload (registered).
    /// </summary>
    public async Task<SignatureVerdict> VerifyAsync(CsarLayout csar, string? declaredCertificatePem, CancellationToken cancellationToken)
    {
        var manifest = csar.File(csar.ManifestPath!)!;
        var packageCertificates = Certificates(csar.EntryCertificatePath is { } path ? csar.File(path) : null);
        if (declaredCertificatePem is not null)
        {
            packageCertificates.AddRange(Certificates(Encoding.ASCII.GetBytes(declaredCertificatePem)));
        }

        var (content, block, problem) = SplitSignature(manifest);
        if (problem is not null)
        {
            return SignatureVerdict.Fail(problem);
        }

        var verdict = block is null ? new SignatureVerdict(null, null) : await VerifyManifestAsync(content, block, packageCertificates, cancellationToken);
        if (verdict.Failure is not null)
        {
            return verdict;
        }

        foreach (var entry in csar.Entries.Where(entry => entry.Signature is not null))
        {
            if (await VerifyArtifactAsync(csar, entry, packageCertificates, cancellationToken) is { } failure)
            {
                return SignatureVerdict.Fail(failure);
            }
        }

        return verdict;
    }

    /// <summary>The bytes the manifest's signature covers, the signature block, or why the block cannot be one.</summary>
    static (byte[] Content, string? Block, string? Problem) SplitSignature(byte[] manifest)
    {
        // The block starts a line (perhaps indented, as the manifest's parser reads it): the signed text ends before that line.
        var begin = Encoding.ASCII.GetBytes("-----BEGIN");
        var at = -1;
        for (var from = 0; at < 0;)
        {
            var found = manifest.AsSpan(from).IndexOf(begin);
            if (found < 0)
            {
                break;
            }

            var lineStart = from + found;
            while (lineStart > 0 && manifest[lineStart - 1] is (byte)' ' or (byte)'\t')
            {
                lineStart--;
            }

            at = lineStart == 0 || manifest[lineStart - 1] == '\n' ? lineStart : -1;
            from += found + begin.Length;
        }

        if (at < 0)
        {
            return (manifest, null, null);
        }

        var block = Encoding.ASCII.GetString(manifest.AsSpan(at));
        if (!PemEncoding.TryFind(block, out var fields))
        {
            return (manifest, null, "the manifest's signature block is not a CMS signature (not a complete PEM block)");
        }

        var label = block[fields.Label];
        if (label is not "CMS" and not "PKCS7")
        {
            return (manifest, null, $"the manifest's signature block is not a CMS signature (its label is {ReasonText.Quote(label)}, not CMS)");
        }

        return block[fields.Location.End..].Trim().Length > 0
            ? (manifest, null, "text follows the manifest's signature block, and nothing after the block is signed")
            : (manifest[..at], block, null);
    }

    async Task<SignatureVerdict> VerifyManifestAsync(byte[] content, string block, X509Certificate2Collection packageCertificates, CancellationToken cancellationToken)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            var fields = PemEncoding.Find(block); // found once already, by SplitSignature
            cms.Decode(Convert.FromBase64String(block[fields.Base64Data]));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return SignatureVerdict.Fail($"the manifest's signature block is not a CMS signature ({exception.Message.TrimEnd('.')})");
        }

        if (cms.SignerInfos.Count == 0)
        {
            return SignatureVerdict.Fail("the manifest's CMS signature has no signer");
        }

        var candidates = new X509Certificate2Collection();
        candidates.AddRange(cms.Certificates);
        candidates.AddRange(packageCertificates);
        SignatureVerdict? first = null;
        foreach (var signerInfo in cms.SignerInfos)
        {
            var certificate = signerInfo.Certificate ?? candidates.FirstOrDefault(c => Identifies(signerInfo.SignerIdentifier, c));
            if (certificate is null)
            {
                return SignatureVerdict.Fail("the manifest is signed, but the signer's certificate is neither in the signature nor in the package (ETSI-Entry-Certificate)");
            }

            var subject = CertificateIdentifiers.Name(certificate.SubjectName);
            try
            {
                signerInfo.CheckSignature(new X509Certificate2Collection(certificate), verifySignatureOnly: true);
            }
            catch (CryptographicException exception)
            {
                return SignatureVerdict.Fail($"the manifest's CMS signature does not match the manifest (certificate {subject}: {exception.Message.TrimEnd('.')})");
            }

            var trusted = await trust.VerifyAsync(certificate, candidates, cancellationToken);
            if (trusted.Failure is { } untrusted)
            {
                return SignatureVerdict.Fail($"the manifest's signer cannot be trusted: {untrusted}");
            }

            first ??= SignatureVerdict.Verified(CertificateIdentifiers.Signer(certificate, trusted.AuthoritySha256Fingerprint!));
        }

        return first!;
    }

    async Task<string?> VerifyArtifactAsync(CsarLayout csar, CsarManifestEntry entry, X509Certificate2Collection packageCertificates, CancellationToken cancellationToken)
    {
        var source = ReasonText.Quote(entry.Source);
        if (csar.File(entry.Signature!) is not { } signatureFile)
        {
            return $"the manifest names the signature {ReasonText.Quote(entry.Signature!)} of {source}, which is not in the package (or is too large)";
        }

        if (csar.Digests(entry.Source) is not { } digests)
        {
            return null; // an artifact outside the package: its signature is checked when it is fetched, not here
        }

        var candidates = new X509Certificate2Collection(packageCertificates);
        if (entry.Certificate is { } certificatePath)
        {
            candidates.AddRange(Certificates(csar.File(certificatePath)));
        }

        return (await VerifyDetachedAsync(signatureFile, digests, candidates, source, cancellationToken)).Failure;
    }

    /// <summary>
    /// SOL004's second option: a zip holding the CSAR (<paramref name="csarPath"/>), a CMS signature over the CSAR's bytes
    /// beside it (<c>.cms</c>, same name) and the signer's certificate (<c>.cert</c>, or inside the signature).
    /// </summary>
    public async Task<SignatureVerdict> VerifySignedCsarAsync(CsarLayout outer, string csarPath, CancellationToken cancellationToken)
    {
        var source = ReasonText.Quote(csarPath);
        var signaturePath = Path.ChangeExtension(csarPath, ".cms");
        if (outer.File(signaturePath) is not { } signatureFile || outer.Digests(csarPath) is not { } digests)
        {
            return SignatureVerdict.Fail($"the signature {ReasonText.Quote(signaturePath)} of {source} is not in the package (or is too large)");
        }

        return await VerifyDetachedAsync(signatureFile, digests, Certificates(outer.File(Path.ChangeExtension(csarPath, ".cert"))), source, cancellationToken);
    }

    /// <summary>A detached CMS signature (PEM or DER) over a file of the package, given the digests measured as it streamed past.</summary>
    async Task<SignatureVerdict> VerifyDetachedAsync(byte[] signatureFile, (string Sha256, string Sha512) digests, X509Certificate2Collection candidates, string source, CancellationToken cancellationToken)
    {
        candidates = new X509Certificate2Collection(candidates);
        try
        {
            var der = Encoding.ASCII.GetString(signatureFile) is var text && PemEncoding.TryFind(text, out var fields)
                ? Convert.FromBase64String(text[fields.Base64Data])
                : signatureFile;
            var hashes = new Dictionary<string, byte[]>
            {
                [Sha256Oid] = Convert.FromHexString(digests.Sha256),
                [Sha512Oid] = Convert.FromHexString(digests.Sha512),
            };
            var signed = new CmsSignedData(hashes, der);
            foreach (var certificate in signed.GetCertificates().EnumerateMatches(null))
            {
                candidates.Add(X509CertificateLoader.LoadCertificate(certificate.GetEncoded()));
            }

            var signers = signed.GetSignerInfos().GetSigners();
            SignatureVerdict? verdict = null;
            if (signers.Count == 0)
            {
                return SignatureVerdict.Fail($"the signature of {source} has no signer");
            }

            foreach (var signer in signers)
            {
                if (signer.DigestAlgorithmID.Algorithm.Id is not Sha256Oid and not Sha512Oid)
                {
                    return SignatureVerdict.Fail($"the signature of {source} uses the digest algorithm {signer.DigestAlgorithmID.Algorithm.Id}; SHA-256 and SHA-512 are verified");
                }

                var certificate = candidates.FirstOrDefault(c => signer.SignerID.Match(new Org.BouncyCastle.X509.X509Certificate(c.RawData)));
                if (certificate is null)
                {
                    return SignatureVerdict.Fail($"the signer's certificate of {source} is neither in its signature nor in the package");
                }

                if (!Matches(signer, certificate, out var mismatch))
                {
                    return SignatureVerdict.Fail($"the signature of {source} does not match it (certificate {CertificateIdentifiers.Name(certificate.SubjectName)}{mismatch})");
                }

                var trusted = await trust.VerifyAsync(certificate, candidates, cancellationToken);
                if (trusted.Failure is { } untrusted)
                {
                    return SignatureVerdict.Fail($"the signer of {source} cannot be trusted: {untrusted}");
                }

                verdict ??= SignatureVerdict.Verified(CertificateIdentifiers.Signer(certificate, trusted.AuthoritySha256Fingerprint!));
            }

            return verdict!;
        }
        catch (Exception exception) when (exception is CmsException or FormatException or ArgumentException or Org.BouncyCastle.Security.SecurityUtilityException
                                              or Org.BouncyCastle.Asn1.Asn1Exception or IOException or InvalidCastException)
        {
            return SignatureVerdict.Fail($"the signature of {source} is not a CMS signature that holds ({exception.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Whether the signature holds over the artifact's digest; BouncyCastle throws when the signed digest differs.</summary>
    static bool Matches(SignerInformation signer, X509Certificate2 certificate, out string detail)
    {
        detail = "";
        try
        {
            return signer.Verify(new Org.BouncyCastle.X509.X509Certificate(certificate.RawData));
        }
        catch (CmsException exception)
        {
            detail = $": {exception.Message.TrimEnd('.')}";
            return false;
        }
    }

    /// <summary>Every certificate of a PEM (or DER) file; none when there is no file or it holds none.</summary>
    static X509Certificate2Collection Certificates(byte[]? file)
    {
        var certificates = new X509Certificate2Collection();
        if (file is null)
        {
            return certificates;
        }

        try
        {
            var text = Encoding.ASCII.GetString(file);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                certificates.ImportFromPem(text);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(file));
            }
        }
        catch (CryptographicException)
        {
            // A certificate file that cannot be read vouches for nothing; the signature then lacks its certificate.
        }

        return certificates;
    }

    static bool Identifies(SubjectIdentifier identifier, X509Certificate2 certificate) => identifier.Type switch
    {
        SubjectIdentifierType.IssuerAndSerialNumber when identifier.Value is System.Security.Cryptography.Xml.X509IssuerSerial issuerSerial =>
            issuerSerial.IssuerName == certificate.IssuerName.Name
            && CertificateIdentifiers.SerialNumber(issuerSerial.SerialNumber) == CertificateIdentifiers.SerialNumber(certificate),
        SubjectIdentifierType.SubjectKeyIdentifier when identifier.Value is string keyIdentifier =>
            certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any(e => string.Equals(e.SubjectKeyIdentifier, keyIdentifier, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };
}

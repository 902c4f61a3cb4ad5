using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// Whether a signing certificate is trusted now: it may sign (digital-signature key usage), it chains to an authority of
/// the trust store (built by .NET, within every certificate's validity dates), and no certificate of the chain below
/// that authority is revoked. Revocation is what the trust store's lists say, and, when <see cref="OcspOptions.Mode"/>
/// asks for it, what the issuer's OCSP responder says (<see cref="OcspResponderClient"/>). A list that revokes a
/// certificate always wins. A list past its <c>nextUpdate</c> fails the certificates of its issuer (fail closed: whether
/// they were revoked since cannot be established) unless the responder answers "good", until the operator puts a current
/// one in the folder. An issuer without a list in the store is checked by OCSP only. Without a verified answer,
/// <c>IfAvailable</c> lets the lists decide (and warns), <c>Required</c> fails the certificate.
/// </summary>
public sealed class CertificateTrust(TrustStore store, OcspResponderClient ocsp, IOptions<OcspOptions> ocspOptions, TimeProvider clock, ILogger<CertificateTrust> logger)
{
    /// <summary>Checks <paramref name="certificate"/>; <paramref name="intermediates"/> are certificates that may complete its chain (a package's).</summary>
    public async Task<TrustVerdict> VerifyAsync(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null, CancellationToken cancellationToken = default)
    {
        var content = store.Current();
        var subject = CertificateIdentifiers.Name(certificate.SubjectName);
        if (content.Authorities.Count == 0)
        {
            return TrustVerdict.Fail("No certificate authority is trusted (Signatures:TrustStore is empty), so no signature can be verified.");
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return TrustVerdict.Fail($"The certificate {subject} may not be used for digital signatures (key usage {usage.KeyUsages}).");
        }

        var now = clock.GetUtcNow();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the trust store's lists and OCSP are checked below
        chain.ChainPolicy.CustomTrustStore.AddRange(content.Authorities);
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        chain.ChainPolicy.VerificationTime = now.LocalDateTime;
        if (!chain.Build(certificate))
        {
            var problems = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
            return TrustVerdict.Fail($"The certificate {subject} is not trusted: {string.Join("; ", problems)}");
        }

        var elements = chain.ChainElements.Select(element => element.Certificate).ToList();
        for (var i = 0; i < elements.Count - 1; i++)
        {
            if (await RevocationFailureAsync(elements[i], elements[i + 1], content, now, cancellationToken) is { } revoked)
            {
                return TrustVerdict.Fail(revoked);
            }
        }

        return new TrustVerdict(null, CertificateIdentifiers.Sha256Fingerprint(elements[^1]));
    }

    async Task<string?> RevocationFailureAsync(X509Certificate2 certificate, X509Certificate2 issuer, TrustStoreContent content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (revoked, stale) = ListVerdict(certificate, content, now);
        var mode = ocspOptions.Value.Mode;
        if (revoked is not null || mode == OcspMode.Off)
        {
            return revoked ?? stale;
        }

        var subject = CertificateIdentifiers.Name(certificate.SubjectName);
        var serial = CertificateIdentifiers.SerialNumber(certificate);
        var answer = await ocsp.AskAsync(certificate, issuer, cancellationToken);
        switch (answer.Status)
        {
            case OcspStatus.Revoked:
                var reason = answer.Reason is null ? "" : $" ({answer.Reason})";
                return string.Create(CultureInfo.InvariantCulture,
                    $"The certificate {subject} (serial {serial}) was revoked by {CertificateIdentifiers.Name(issuer.SubjectName)} on {answer.RevokedAt:u}{reason}, says its OCSP responder {answer.Responder}.");
            case OcspStatus.Good:
                return null; // a current answer stands in for a list due for renewal
            default:
                if (mode == OcspMode.Required)
                {
                    return $"Whether the certificate {subject} (serial {serial}) has been revoked cannot be established, and Signatures:Ocsp:Mode is Required: {answer.Problem}.";
                }

                logger.LogWarning("OCSP gave no answer about {Subject} (serial {Serial}); the trust store's revocation lists decide: {Problem}", subject, serial, answer.Problem);
                return stale;
        }
    }

    /// <summary>What the issuer's newest list in the trust store says: the certificate revoked, or the list too old to say, or neither.</summary>
    static (string? Revoked, string? Stale) ListVerdict(X509Certificate2 certificate, TrustStoreContent content, DateTimeOffset now)
    {
        var lists = content.RevocationLists.Where(list => list.IssuerDer.AsSpan().SequenceEqual(certificate.IssuerName.RawData)).ToList();
        if (lists.Count == 0)
        {
            return (null, null);
        }

        // Lists are cumulative: the issuer's newest one says what is revoked now (a certificate on hold may have been released).
        var newest = lists.MaxBy(list => list.ThisUpdate)!;
        var serial = CertificateIdentifiers.SerialNumber(certificate);
        var subject = CertificateIdentifiers.Name(certificate.SubjectName);
        if (newest.RevokedBySerialNumber.TryGetValue(serial, out var entry))
        {
            var reason = entry.Reason is null ? "" : $" ({entry.Reason})";
            return (string.Create(CultureInfo.InvariantCulture,
                $"The certificate {subject} (serial {serial}) was revoked by {newest.IssuerName} on {entry.RevokedAt:u}{reason}."), null);
        }

        return newest.NextUpdate is { } due && due < now
            ? (null, string.Create(CultureInfo.InvariantCulture,
                $"The revocation list of {newest.IssuerName} in the trust store ({newest.File}) was due to be replaced on {due:u}, so whether the certificate {subject} (serial {serial}) has been revoked since cannot be established; put a current list in the trust store."))
            : (null, null);
    }
}

using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// Whether a signing certificate is trusted now: it may sign (digital-signature key usage), it chains to an authority of
/// the trust store (built by .NET, within every certificate's validity dates), and no revocation list of the store
/// revokes a certificate of the chain below that authority. A list past its <c>nextUpdate</c> fails the certificates
/// of its issuer (fail closed: whether they were revoked since cannot be established) until the operator puts a
/// current one in the folder. An issuer without a list in the store is not checked for revocation. OCSP is not asked:
/// Validation has no network to reach responders, and the folder is what an operator controls.
/// </summary>
public sealed class CertificateTrust(TrustStore store, TimeProvider clock)
{
    /// <summary>Checks <paramref name="certificate"/>; <paramref name="intermediates"/> are certificates that may complete its chain (a package's).</summary>
    public TrustVerdict Verify(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null)
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
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the trust store's lists are checked below, offline
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
        foreach (var link in elements.Take(elements.Count - 1))
        {
            if (RevocationFailure(link, content, now) is { } revoked)
            {
                return TrustVerdict.Fail(revoked);
            }
        }

        return new TrustVerdict(null, CertificateIdentifiers.Sha256Fingerprint(elements[^1]));
    }

    static string? RevocationFailure(X509Certificate2 certificate, TrustStoreContent content, DateTimeOffset now)
    {
        var lists = content.RevocationLists.Where(list => list.IssuerDer.AsSpan().SequenceEqual(certificate.IssuerName.RawData)).ToList();
        if (lists.Count == 0)
        {
            return null;
        }

        // Lists are cumulative: the issuer's newest one says what is revoked now (a certificate on hold may have been released).
        var newest = lists.MaxBy(list => list.ThisUpdate)!;
        var serial = CertificateIdentifiers.SerialNumber(certificate);
        var subject = CertificateIdentifiers.Name(certificate.SubjectName);
        if (newest.RevokedBySerialNumber.TryGetValue(serial, out var entry))
        {
            var reason = entry.Reason is null ? "" : $" ({entry.Reason})";
            return string.Create(CultureInfo.InvariantCulture,
                $"The certificate {subject} (serial {serial}) was revoked by {newest.IssuerName} on {entry.RevokedAt:u}{reason}.");
        }

        return newest.NextUpdate is { } due && due < now
            ? string.Create(CultureInfo.InvariantCulture,
                $"The revocation list of {newest.IssuerName} in the trust store ({newest.File}) was due to be replaced on {due:u}, so whether the certificate {subject} (serial {serial}) has been revoked since cannot be established; put a current list in the trust store.")
            : null;
    }
}

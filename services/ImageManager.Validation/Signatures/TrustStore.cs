using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Certificates;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// The trust store folder (<see cref="SignatureOptions.TrustStore"/>): certificate authorities (<c>*.pem</c>, <c>*.crt</c>)
/// and revocation lists (<c>*.crl</c>, PEM or DER). Read once, and again only when the folder changes (a file added,
/// removed, rewritten: its list of names, write times and sizes), which a directory listing tells without reading
/// anything. .NET's chain building cannot take revocation lists from a folder offline on Linux, so BouncyCastle reads
/// and verifies the lists; a list counts only when an authority of the store signed it.
/// </summary>
public sealed class TrustStore(IOptions<SignatureOptions> options, TimeProvider clock, ILogger<TrustStore> logger)
{
    readonly Lock _reading = new();
    TrustStoreContent? _content;
    string? _stamp;

    /// <summary>What the folder holds now: the last reading, or a new one when the folder changed since.</summary>
    public TrustStoreContent Current()
    {
        var files = Files(options.Value.TrustStore);
        var stamp = string.Join('\n', files.Select(file => $"{file.FullName}|{file.LastWriteTimeUtc.Ticks}|{file.Length}"));
        lock (_reading)
        {
            if (_content is null || stamp != _stamp)
            {
                _content = Read(files);
                _stamp = stamp;
                foreach (var problem in _content.Problems)
                {
                    logger.LogWarning("Trust store: {Problem}", problem);
                }
            }

            return _content;
        }
    }

    static List<FileInfo> Files(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
        {
            return [];
        }

        return [.. new DirectoryInfo(folder).EnumerateFiles()
            .Where(file => file.Extension.ToLowerInvariant() is ".pem" or ".crt" or ".crl")
            .OrderBy(file => file.Name, StringComparer.Ordinal)];
    }

    TrustStoreContent Read(List<FileInfo> files)
    {
        var authorities = new X509Certificate2Collection();
        var problems = new List<string>();
        foreach (var file in files.Where(file => !IsRevocationList(file)))
        {
            try
            {
                var before = authorities.Count;
                authorities.ImportFromPemFile(file.FullName);
                if (authorities.Count == before)
                {
                    authorities.Add(X509CertificateLoader.LoadCertificateFromFile(file.FullName)); // a DER .crt
                }
            }
            catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{file.Name} holds no certificate that can be read ({exception.Message}); it is ignored.");
            }
        }

        var lists = new List<TrustedRevocationList>();
        foreach (var file in files.Where(IsRevocationList))
        {
            try
            {
                foreach (var der in RevocationListsIn(File.ReadAllBytes(file.FullName)))
                {
                    if (Verified(file.Name, new X509CrlParser().ReadCrl(der), authorities, problems) is { } list)
                    {
                        lists.Add(list);
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or ArgumentException
                                                  or Org.BouncyCastle.Security.Certificates.CrlException or Asn1Exception or InvalidOperationException)
            {
                problems.Add($"{file.Name} holds no revocation list that can be read ({exception.Message}); it is ignored.");
            }
        }

        return new TrustStoreContent(authorities, lists, problems, clock.GetUtcNow());
    }

    static bool IsRevocationList(FileInfo file) => file.Extension.Equals(".crl", StringComparison.OrdinalIgnoreCase);

    /// <summary>The DER lists of a file: every <c>X509 CRL</c> PEM block, or the file itself when it is not PEM.</summary>
    static List<byte[]> RevocationListsIn(byte[] bytes)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        var lists = new List<byte[]>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("X509 CRL"))
            {
                lists.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }

            rest = rest[fields.Location.End..];
        }

        return lists.Count > 0 || text.Contains("-----BEGIN", StringComparison.Ordinal) ? lists : [bytes];
    }

    /// <summary>The list, when an authority of the store with its issuer's name signed it; otherwise null, with the problem noted.</summary>
    static TrustedRevocationList? Verified(string file, X509Crl? crl, X509Certificate2Collection authorities, List<string> problems)
    {
        if (crl is null)
        {
            problems.Add($"{file} holds no revocation list that can be read; it is ignored.");
            return null;
        }

        var issuerDer = crl.IssuerDN.GetEncoded();
        var issuerName = CertificateIdentifiers.Name(new X500DistinguishedName(issuerDer));
        foreach (var authority in authorities.Where(a => a.SubjectName.RawData.AsSpan().SequenceEqual(issuerDer)))
        {
            try
            {
                crl.Verify(new X509Certificate(authority.RawData).GetPublicKey());
            }
            catch (Exception exception) when (exception is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException
                                                  or Org.BouncyCastle.Security.Certificates.CrlException or InvalidOperationException or ArgumentException)
            {
                continue; // another authority of that name may have signed it
            }

            var revoked = new Dictionary<string, RevokedCertificate>(StringComparer.Ordinal);
            foreach (var entry in crl.GetRevokedCertificates() ?? new HashSet<X509CrlEntry>())
            {
                var serial = CertificateIdentifiers.SerialNumber(entry.SerialNumber.ToString(16));
                revoked[serial] = new RevokedCertificate
                {
                    Issuer = issuerName,
                    SerialNumber = serial,
                    RevokedAt = new DateTimeOffset(DateTime.SpecifyKind(entry.RevocationDate, DateTimeKind.Utc)),
                    Reason = Reason(entry),
                };
            }

            return new TrustedRevocationList(
                file,
                issuerName,
                issuerDer,
                new DateTimeOffset(DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc)),
                crl.NextUpdate is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : null,
                revoked);
        }

        problems.Add($"The revocation list {file} of {issuerName} is not signed by a certificate authority of the trust store; it is ignored.");
        return null;
    }

    /// <summary>The entry's reason code by its RFC 5280 name, when the list gives one.</summary>
    static string? Reason(X509CrlEntry entry)
    {
        if (entry.GetExtensionValue(X509Extensions.ReasonCode) is not { } value)
        {
            return null;
        }

        return RevocationReasons.Name(DerEnumerated.GetInstance(Asn1Object.FromByteArray(value.GetOctets())).IntValueExact);
    }
}

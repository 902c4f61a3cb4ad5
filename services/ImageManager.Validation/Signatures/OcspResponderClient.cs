using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// Asks a certificate's OCSP responder (<see cref="OcspOptions.Responder"/>, else the one its Authority Information
/// Access names) whether it is revoked, and believes only an answer that verifies: signed by the issuer itself or by a
/// responder certificate the issuer delegated (issued by it, OCSP-signing extended key usage, within its dates), naming
/// the certificate asked about, echoing the request's nonce or fresh by its dates. "Good" answers are kept until their
/// <c>nextUpdate</c> (at most <see cref="OcspOptions.CachedAnswers"/> of them). Requests and answers are built and
/// read by BouncyCastle; the question goes out as an HTTP POST (RFC 6960 appendix A), no redirect followed, no proxy.
/// </summary>
public sealed class OcspResponderClient : IDisposable
{
    const int MaxAnswerBytes = 256 * 1024;
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    readonly IOptions<OcspOptions> _options;
    readonly TimeProvider _clock;
    readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
    readonly MemoryCache _goodAnswers;

    public OcspResponderClient(IOptions<OcspOptions> options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _goodAnswers = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CachedAnswers) });
        _http.Timeout = Timeout.InfiniteTimeSpan; // each question has its own deadline (OcspOptions.Timeout)
    }

    public void Dispose()
    {
        _http.Dispose();
        _goodAnswers.Dispose();
    }

    /// <summary>What the responder says about <paramref name="certificate"/>, which <paramref name="issuer"/> issued.</summary>
    public async Task<OcspAnswer> AskAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var responder = options.Responder ?? ResponderOf(certificate);
        if (responder is null)
        {
            return OcspAnswer.None("(none)", "the certificate names no OCSP responder and Signatures:Ocsp:Responder is not set");
        }

        var shown = Shown(responder);
        var issuerCertificate = new BcCertificate(issuer.RawData);
        var id = new CertificateID(CertificateID.DigestSha1, issuerCertificate, new BcCertificate(certificate.RawData).SerialNumber);
        var key = $"{shown}|{issuer.Thumbprint}|{certificate.SerialNumber}";
        if (_goodAnswers.TryGetValue(key, out OcspAnswer? kept) && kept is not null)
        {
            return kept;
        }

        var nonce = RandomNumberGenerator.GetBytes(16);
        byte[] answer;
        try
        {
            answer = await PostAsync(responder, Request(id, nonce), options.Timeout, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidDataException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = exception is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0.###} s" : exception.Message.TrimEnd('.');
            return OcspAnswer.None(shown, $"the OCSP responder {shown} could not be asked ({why})");
        }

        try
        {
            var read = Read(answer, id, issuerCertificate, CertificateIdentifiers.Name(issuer.SubjectName), nonce, shown, options);
            if (read is { Status: OcspStatus.Good, NextUpdate: { } nextUpdate } && nextUpdate > _clock.GetUtcNow())
            {
                _goodAnswers.Set(key, read, new MemoryCacheEntryOptions { AbsoluteExpiration = nextUpdate, Size = 1 });
            }

            return read;
        }
        catch (Exception exception) when (exception is OcspException or IOException or Asn1Exception or ArgumentException or InvalidCastException
                                              or Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Security.Certificates.CertificateException
                                              or Org.BouncyCastle.Crypto.CryptoException)
        {
            return OcspAnswer.None(shown, $"the answer of the OCSP responder {shown} cannot be read ({exception.Message.TrimEnd('.')})");
        }
    }

    /// <summary>The first http(s) OCSP address of the certificate's Authority Information Access extension.</summary>
    static Uri? ResponderOf(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>()
            .SelectMany(access => access.EnumerateOcspUris())
            .Select(text => Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(uri => uri is { Scheme: "http" or "https" });

    /// <summary>The responder's address as it may be logged and shown: no user name, password, query or fragment.</summary>
    static string Shown(Uri responder) => new UriBuilder(responder) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.ToString();

    static byte[] Request(CertificateID id, byte[] nonce)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, new DerOctetString(nonce));
        generator.SetRequestExtensions(extensions.Generate());
        return generator.Generate().GetEncoded();
    }

    async Task<byte[]> PostAsync(Uri responder, byte[] request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await _http.PostAsync(responder, content, deadline.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > MaxAnswerBytes)
        {
            throw new InvalidDataException($"an answer of {response.Content.Headers.ContentLength} bytes, more than {MaxAnswerBytes}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, deadline.Token)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new InvalidDataException($"an answer of more than {MaxAnswerBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    OcspAnswer Read(byte[] bytes, CertificateID id, BcCertificate issuer, string issuerName, byte[] nonce, string shown, OcspOptions options)
    {
        var response = new OcspResp(bytes);
        if (response.Status != OcspRespStatus.Successful)
        {
            return OcspAnswer.None(shown, $"the OCSP responder {shown} refused to answer ({Refusal(response.Status)})");
        }

        if (response.GetResponseObject() is not BasicOcspResp basic)
        {
            return OcspAnswer.None(shown, $"the OCSP responder {shown} gave no basic OCSP response");
        }

        var now = _clock.GetUtcNow();
        if (!SignedByIssuerOrDelegate(basic, issuer, now))
        {
            return OcspAnswer.None(shown,
                $"the answer of the OCSP responder {shown} is signed neither by {issuerName} nor by a responder it delegated (OCSP signing); it is not believed");
        }

        var echoed = basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        if (echoed is not null && !echoed.GetOctets().AsSpan().SequenceEqual(new DerOctetString(nonce).GetEncoded()))
        {
            return OcspAnswer.None(shown, $"the answer of the OCSP responder {shown} carries another request's nonce (a replay); it is not believed");
        }

        var single = basic.Responses.FirstOrDefault(r => r.GetCertID().Equals(id));
        if (single is null)
        {
            return OcspAnswer.None(shown, $"the answer of the OCSP responder {shown} does not name the certificate asked about");
        }

        var thisUpdate = Utc(single.ThisUpdate);
        var nextUpdate = single.NextUpdate is { } next ? Utc(next) : (DateTimeOffset?)null;
        if (thisUpdate > now + ClockSkew
            || nextUpdate < now - ClockSkew
            || (nextUpdate is null && echoed is null && thisUpdate < now - options.MaxAge))
        {
            return OcspAnswer.None(shown, $"the answer of the OCSP responder {shown} is not current (thisUpdate {thisUpdate:u}, nextUpdate {(nextUpdate is null ? "none" : nextUpdate.Value.ToString("u", System.Globalization.CultureInfo.InvariantCulture))})");
        }

        return single.GetCertStatus() switch
        {
            null => new OcspAnswer(OcspStatus.Good, shown, NextUpdate: nextUpdate), // CertificateStatus.Good is null
            RevokedStatus revoked => new OcspAnswer(
                OcspStatus.Revoked, shown, Utc(revoked.RevocationTime), revoked.HasRevocationReason ? RevocationReasons.Name(revoked.RevocationReason) : null),
            _ => OcspAnswer.None(shown, $"the OCSP responder {shown} does not know the certificate (status unknown)"),
        };
    }

    /// <summary>
    /// Whether the issuer's key signed the answer, or the key of a certificate in it that the issuer issued for OCSP
    /// signing (RFC 6960 4.2.2.2) and that is within its dates now.
    /// </summary>
    static bool SignedByIssuerOrDelegate(BasicOcspResp basic, BcCertificate issuer, DateTimeOffset now)
    {
        if (Verifies(basic, issuer))
        {
            return true;
        }

        foreach (var candidate in basic.GetCerts() ?? [])
        {
            if (!candidate.IssuerDN.Equivalent(issuer.SubjectDN) || !candidate.IsValid(now.UtcDateTime)
                || candidate.GetExtendedKeyUsage()?.Contains(KeyPurposeID.id_kp_OCSPSigning) != true)
            {
                continue;
            }

            try
            {
                candidate.Verify(issuer.GetPublicKey());
            }
            catch (Exception exception) when (exception is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException
                                                  or Org.BouncyCastle.Security.Certificates.CertificateException or InvalidOperationException)
            {
                continue; // not the issuer's: another authority of the same name made it
            }

            if (Verifies(basic, candidate))
            {
                return true;
            }
        }

        return false;
    }

    static bool Verifies(BasicOcspResp basic, BcCertificate signer)
    {
        try
        {
            return basic.Verify(signer.GetPublicKey());
        }
        catch (OcspException)
        {
            return false;
        }
    }

    static string Refusal(int status) => status switch
    {
        OcspRespStatus.MalformedRequest => "malformedRequest",
        OcspRespStatus.InternalError => "internalError",
        OcspRespStatus.TryLater => "tryLater",
        OcspRespStatus.SigRequired => "sigRequired",
        OcspRespStatus.Unauthorized => "unauthorized",
        _ => $"status {status}",
    };

    static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}

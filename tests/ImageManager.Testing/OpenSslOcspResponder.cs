using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using CliWrap;
using CliWrap.Buffered;

namespace ImageManager.Testing;

/// <summary>
/// A real OCSP responder for the tests: <c>openssl ocsp</c> answers each request from an index of the authority's
/// certificates (as <c>openssl ca</c> keeps one: good, revoked with date and reason; a certificate not listed is
/// unknown), signed with the signer given (a delegated responder, or another key to forge answers) or, by
/// default, with the authority's own key. openssl's own <c>-port</c> listens on every interface, so HTTP is served by a
/// <see cref="LoopbackHttpServer"/> on 127.0.0.1 and each request goes to one bounded <c>openssl ocsp -reqin</c> run.
/// </summary>
public sealed class OpenSslOcspResponder : IDisposable
{
    static readonly TimeSpan OneAnswerAtMost = TimeSpan.FromSeconds(30);

    readonly string _folder = Directory.CreateDirectory(Path.Combine(RepositoryPaths.TestOutput, $"ocsp-{Guid.NewGuid():N}")).FullName;
    readonly Dictionary<string, string> _index = new(StringComparer.Ordinal);
    readonly LoopbackHttpServer _server;
    int _answered;

    public OpenSslOcspResponder(TestAuthority authority, (string CertificatePem, string KeyPem)? signer = null)
    {
        File.WriteAllText(Path.Combine(_folder, "ca.pem"), authority.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "signer.pem"), signer?.CertificatePem ?? authority.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "signer.key"), signer?.KeyPem ?? authority.PrivateKeyPem);
        WriteIndex();
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    /// <summary>Where to POST OCSP requests.</summary>
    public Uri Address => _server.Address;

    /// <summary>How many requests openssl answered so far.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Lists the certificate as good.</summary>
    public void Good(string certificatePem) => List(certificatePem, revoked: null);

    /// <summary>Lists the certificate as revoked at <paramref name="revokedAt"/> for <paramref name="reason"/>.</summary>
    public void Revoke(string certificatePem, X509RevocationReason reason, DateTimeOffset revokedAt) =>
        List(certificatePem, $"{Time(revokedAt)},{char.ToLowerInvariant(reason.ToString()[0])}{reason.ToString()[1..]}");

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    void List(string certificatePem, string? revoked)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        // openssl looks a serial up as BN_bn2hex writes it: upper-case, whole bytes, no leading zero byte.
        var serial = certificate.SerialNumber;
        while (serial.Length > 2 && serial.StartsWith("00", StringComparison.Ordinal))
        {
            serial = serial[2..];
        }

        var subject = "/" + string.Join('/', certificate.SubjectName.Name.Split(", ").Reverse());
        lock (_index)
        {
            _index[serial] = $"{(revoked is null ? 'V' : 'R')}\t{Time(certificate.NotAfter.ToUniversalTime())}\t{revoked}\t{serial}\tunknown\t{subject}";
            WriteIndex();
        }
    }

    void WriteIndex()
    {
        var path = Path.Combine(_folder, "index.txt");
        File.WriteAllLines(path + ".new", _index.Values);
        File.Move(path + ".new", path, overwrite: true);
    }

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyMMddHHmmss'Z'", CultureInfo.InvariantCulture);

    async Task AnswerAsync(System.Net.HttpListenerContext context)
    {
        var name = Guid.NewGuid().ToString("N");
        var request = Path.Combine(_folder, $"{name}.req");
        var response = Path.Combine(_folder, $"{name}.resp");
        await using (var file = File.Create(request))
        {
            await context.Request.InputStream.CopyToAsync(file);
        }

        using var deadline = new CancellationTokenSource(OneAnswerAtMost);
        var result = await Cli.Wrap("openssl")
            .WithArguments(["ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner", "signer.pem", "-rkey", "signer.key",
                "-reqin", request, "-respout", response, "-nmin", "60"])
            .WithWorkingDirectory(_folder)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(deadline.Token);
        if (result.ExitCode != 0 || !File.Exists(response))
        {
            context.Response.StatusCode = 500;
            return;
        }

        Interlocked.Increment(ref _answered);
        context.Response.ContentType = "application/ocsp-response";
        var bytes = await File.ReadAllBytesAsync(response);
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}

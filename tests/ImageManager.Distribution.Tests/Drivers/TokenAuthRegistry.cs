using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ImageManager.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The real registry (Debian's docker-registry) with token auth, as registries behind a token service run it: the
/// fixture starts a token service of its own on a free loopback port (it checks a test user's basic credentials and
/// signs RS256 JWTs granting the scopes asked for, with a certificate it makes), and a docker-registry process that
/// trusts that certificate, on another free port, with its storage in a temporary folder. Both go away with the fixture.
/// </summary>
public sealed class TokenAuthRegistry : IAsyncLifetime
{
    public const string Username = "robot";
    public const string Password = "token-registry-test-password";
    const string Service = "imagemanager-test-registry";
    const string Issuer = "imagemanager-test-token-service";
    const string Executable = "/usr/bin/docker-registry";

    readonly RSA _key = RSA.Create(2048);
    string _folder = null!;
    X509Certificate2 _certificate = null!;
    WebApplication _tokenService = null!;
    Process? _registry;
    StreamWriter? _log;
    long _tokensIssued;

    public Uri Endpoint { get; private set; } = null!;

    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: start the infrastructure with `infra/infra.sh start`, which installs docker-registry.");
        }

        _folder = Directory.CreateTempSubdirectory("imagemanager-token-registry-").FullName;
        var request = new CertificateRequest("CN=Image Manager test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(_folder, "issuer.pem"), _certificate.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _tokenService = builder.Build();
        _tokenService.MapGet("/token", Issue);
        await _tokenService.StartAsync();
        var realm = $"{_tokenService.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/')}/token";

        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        var config = Path.Combine(_folder, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_folder, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
              secret: {Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}
            auth:
              token:
                realm: {realm}
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {Path.Combine(_folder, "issuer.pem")}
            """);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var log = Path.Combine(RepositoryPaths.TestOutput, $"token-registry-{port}.log");
        _log = new StreamWriter(log) { AutoFlush = true };
        _registry = Process.Start(start)!;
        _registry.OutputDataReceived += (_, e) => Write(e.Data);
        _registry.ErrorDataReceived += (_, e) => Write(e.Data);
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "v2/"));
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_registry.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || _registry.HasExited)
            {
                throw new InvalidOperationException($"docker-registry with token auth did not come up on {Endpoint}; see {log}.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The token service: basic credentials of the test user, every scope asked for granted, an RS256 JWT the registry verifies by the x5c chain.</summary>
    IResult Issue(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"))}")
        {
            return Results.Json(new { details = "incorrect username or password" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var access = http.Request.Query["scope"]
            .SelectMany(scope => (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(scope => scope.Split(':'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new { type = parts[0], name = parts[1], actions = parts[2].Split(',') })
            .ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "RS256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = Username, aud = Service, exp = now + 300, nbf = now - 10, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        var signed = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new { token = $"{signed}.{Base64Url(signature)}", expires_in = 300, issued_at = DateTimeOffset.UtcNow });
    }

    void Write(string? line)
    {
        if (line is not null)
        {
            lock (_log!)
            {
                _log.WriteLine(line);
            }
        }
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_registry is { HasExited: false })
        {
            _registry.Kill(entireProcessTree: true);
            await _registry.WaitForExitAsync();
        }

        _registry?.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _log.Dispose();
            }
        }

        await _tokenService.StopAsync();
        await _tokenService.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

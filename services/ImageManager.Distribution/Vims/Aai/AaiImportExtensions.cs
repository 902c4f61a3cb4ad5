using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Distribution.Vims.Bulk;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims.Aai;

public static class AaiImportExtensions
{
    /// <summary>The A&amp;AI settings, checked on start (never echoing the password), its client, and the import.</summary>
    public static IHostApplicationBuilder AddAaiImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AaiOptions>()
            .Bind(builder.Configuration.GetSection(AaiOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrl is null or { IsAbsoluteUri: true, Scheme: "http" or "https", UserInfo: "" },
                "Aai:BaseUrl is A&AI's address: an absolute http or https URL without user info (e.g. https://aai.onap:8443/); the credentials are Aai:Username and Aai:Password.")
            .Validate(o => (o.Username is null) == (o.Password is null), "Aai:Username and Aai:Password go together: both (A&AI's basic authentication) or neither.")
            .Validate(o => !o.Periodic || o.BaseUrl is not null, "Aai:Periodic imports from A&AI: it needs Aai:BaseUrl.")
            .Validate(o => o.CaCertificatesFile is null || IsCertificateFile(o.CaCertificatesFile),
                "Aai:CaCertificatesFile names a readable PEM file of one or more CA certificates.")
            .ValidateOnStart();
        builder.Services.AddHttpClient<AaiClient>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<AaiOptions>>().Value;
                // A base ending in '/' keeps a gateway's path prefix when the collection's relative path is added.
                http.BaseAddress = options.BaseUrl is { } root ? new Uri(root.AbsoluteUri.TrimEnd('/') + "/") : new Uri("http://127.0.0.1/");
                http.Timeout = options.Timeout;
            })
            .ConfigurePrimaryHttpMessageHandler(services => Handler(services.GetRequiredService<IOptions<AaiOptions>>().Value));
        builder.Services.TryAddSingleton<VimBulkUpsert>();
        builder.Services.TryAddSingleton<VimProbeQueue>();
        builder.Services.AddScoped<AaiImport>();
        return builder;
    }

    static SocketsHttpHandler Handler(AaiOptions options)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (options.CaCertificatesFile is { } file)
        {
            // The platform's validation with ONAP's CAs as the only roots; the host name is checked as always.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.ImportFromPemFile(file);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    static bool IsCertificateFile(string path)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count > 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return false;
        }
    }
}

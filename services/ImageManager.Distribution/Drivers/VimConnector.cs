using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Outbound;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Makes <see cref="VimConnection"/>s. VIMs with default TLS share one connection pool; a VIM with its own CA bundle or
/// the insecure flag gets a pool of its own, so its trust decisions never leak to other VIMs.
/// </summary>
public sealed class VimConnector(VimCredentialProtector protector, IOptions<DistributionOptions> options, TimeProvider clock, TransferBudgets budgets) : IDisposable
{
    readonly ConcurrentDictionary<string, Lazy<HttpMessageHandler>> _handlers = new(StringComparer.Ordinal);

    /// <summary>A connection to <paramref name="vim"/>; with <paramref name="sent"/>, told of every byte of image data it sends (<see cref="SentBytesHandler"/>).</summary>
    public VimConnection Connect(Vim vim, Action<int>? sent = null)
    {
        var key = vim.CaCertificates is null && !vim.InsecureSkipTlsVerify
            ? ""
            : $"{vim.Id}/{vim.InsecureSkipTlsVerify}/{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(vim.CaCertificates ?? "")))}";
        var handler = _handlers.GetOrAdd(key, _ => new Lazy<HttpMessageHandler>(() => CreateHandler(vim))).Value;

        if (sent is not null)
        {
            handler = new SentBytesHandler(sent) { InnerHandler = handler };
        }

        // The VIM's cap holds across all its transfers (push and pull, every replica) and the uplink's budget over all
        // (Budgets/); laid over the shared pool, outside the stall check, so paced bytes count as progress, and outside
        // the count, which then moves with each paced slice. A transfer no budget bounds is neither counted nor paced.
        if (budgets.Bounds(vim.BandwidthLimitBytesPerSecond))
        {
            handler = new BudgetHandler(budgets, vim.Id, vim.BandwidthLimitBytesPerSecond) { InnerHandler = handler };
        }

        // Timeouts are per call (the driver's cancellation token); an upload of many GiB must not hit a client-wide one.
        var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        return new VimConnection(vim, protector.Unprotect(vim.ProtectedCredentials), http);
    }

    HttpMessageHandler CreateHandler(Vim vim) =>
        new StalledRequestHandler(options.Value.VimStallTimeout, clock) { InnerHandler = CreateSocketsHandler(vim, options.Value) };

    static SocketsHttpHandler CreateSocketsHandler(Vim vim, DistributionOptions settings)
    {
        var (allowPrivate, allowedNetworks) = (settings.AllowPrivateVimAddresses, settings.PrivateVimNetworks);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
            // Where the connection is made, on the address connected to: a name that resolves inside, or an address
            // written as a number (http://2130706433/), is refused like a plain one. Redirects follow the same rule.
            ConnectCallback = (context, cancellationToken) =>
                OutboundAddresses.ConnectAsync(context, allowPrivate, "VIM connections", "Distribution:AllowPrivateVimAddresses, Distribution:AllowedPrivateVimNetworks", cancellationToken, allowedNetworks),
        };
        if (vim.InsecureSkipTlsVerify)
        {
            // The operator asked for this VIM, by name, to be reached without certificate checks (labs).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (vim.CaCertificates is { } pem)
        {
            // The platform's own validation with the VIM's CAs as the only roots: the host name is checked as always,
            // and a refusal names the failed checks (UntrustedRoot, RemoteCertificateNameMismatch, ...).
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.ImportFromPem(pem);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    public void Dispose()
    {
        foreach (var handler in _handlers.Values.Where(h => h.IsValueCreated))
        {
            handler.Value.Dispose();
        }
    }
}

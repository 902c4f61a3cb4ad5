using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Hubs;

/// <summary>
/// Whether a hub can serve its edges: its <c>/healthz</c>, which nginx answers through to the centre's, so a hub that is
/// down and one that lost its way to the centre both count as unhealthy. An answer is believed for
/// <see cref="HubOptions.HealthRefresh"/>; concurrent askers share one check.
/// </summary>
public sealed class HubHealth(IHttpClientFactory clients, IOptions<HubOptions> options, TimeProvider clock)
{
    public const string ClientName = "hub-health";

    readonly ConcurrentDictionary<string, Lazy<Task<Finding>>> _findings = new(StringComparer.Ordinal);

    /// <summary>Null when the hub is healthy; else why not, in a few words.</summary>
    public async Task<string?> ProblemAsync(Hub hub, CancellationToken cancellationToken)
    {
        var key = hub.BaseUrl;
        var check = _findings.GetOrAdd(key, _ => new Lazy<Task<Finding>>(() => CheckAsync(hub.BaseUrl)));
        var finding = await check.Value.WaitAsync(cancellationToken);
        if (clock.GetUtcNow() - finding.At >= options.Value.HealthRefresh)
        {
            var again = new Lazy<Task<Finding>>(() => CheckAsync(hub.BaseUrl));
            check = _findings.TryUpdate(key, again, check) ? again : _findings.GetOrAdd(key, again);
            finding = await check.Value.WaitAsync(cancellationToken);
        }

        return finding.Problem;
    }

    async Task<Finding> CheckAsync(string baseUrl)
    {
        var at = clock.GetUtcNow();
        using var timeout = new CancellationTokenSource(options.Value.HealthTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(new Uri(baseUrl + "/healthz"), timeout.Token);
            return new Finding(at, response.IsSuccessStatusCode ? null : $"its health check answered {(int)response.StatusCode}");
        }
        catch (OperationCanceledException)
        {
            return new Finding(at, $"its health check took longer than {options.Value.HealthTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException exception)
        {
            return new Finding(at, exception.HttpRequestError == HttpRequestError.ConnectionError ? "it refused or dropped the connection" : $"its health check failed ({exception.HttpRequestError})");
        }
    }

    sealed record Finding(DateTimeOffset At, string? Problem);
}

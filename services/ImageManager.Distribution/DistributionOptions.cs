using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution;

/// <summary>Bound from the <c>Distribution</c> section.</summary>
public sealed class DistributionOptions
{
    public const string Section = "Distribution";

    /// <summary>
    /// Retries of an upload or removal that failed for a reason that may pass (5xx, 429, timeouts, refused connections);
    /// a target is <c>failed</c> only after the last one. The waits grow exponentially from <see cref="RetryInitialInterval"/>
    /// to <see cref="RetryMaxInterval"/>, each spread by ±<see cref="RetryJitter"/> so that ten thousand targets that
    /// failed together do not all come back in the same second.
    /// </summary>
    [Range(0, 20)]
    public int Retries { get; set; } = 5;

    public TimeSpan RetryInitialInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromMinutes(30);

    [Range(0.0, 0.9)]
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>
    /// Explicit waits instead of the exponential ones (their count is then the number of retries); for tests and for
    /// operators who want a fixed plan. Empty in configuration means exponential (binding appends to arrays, so the
    /// default cannot live in the initializer).
    /// </summary>
    public TimeSpan[] RetryIntervals { get; set; } = [];

    /// <summary>
    /// A request to a VIM that takes no byte of its body and gives no answer for this long is ended (and retried later):
    /// a VIM that hangs frees its worker, while a slow but moving upload of many GiB goes on.
    /// </summary>
    public TimeSpan VimStallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest one upload attempt to one VIM may take.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The Api's URL as the VIMs reach it (e.g. <c>http://imagemanager.example:5080</c>): a VIM with upload mode
    /// <c>web-download</c> pulls an image from <see cref="DownloadUrlOf"/>. Unset, such VIMs fail their targets, saying so.
    /// </summary>
    public Uri? ImageDownloadBaseUrl { get; set; }

    /// <summary>
    /// Where a VIM downloads an image's bytes: <c>{ImageDownloadBaseUrl}/api/v1/images/{id}/file?{signedQuery}</c>, which
    /// the Api serves to the link's holder without credentials (see <c>SignedDownloadUrl</c>).
    /// </summary>
    public Uri? DownloadUrlOf(Guid imageId, string signedQuery) => ImageDownloadBaseUrl is { } root
        ? new Uri(new Uri(root.AbsoluteUri.TrimEnd('/') + "/"), $"api/v1/images/{imageId}/file?{signedQuery}")
        : null;

    /// <summary>
    /// Uploads in flight at once in this process, across all VIMs. Most of an upload to a distant site is waiting on
    /// the network, so this is high; each VIM's own limit still applies.
    /// </summary>
    [Range(1, 1024)]
    public int ConcurrentUploads { get; set; } = 128;

    /// <summary>
    /// How long an upload's hold on one of its VIM's slots lasts without renewal (renewed every third of it while the
    /// upload runs): a replica killed mid-upload keeps its slots this long at most.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan UploadSlotLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Transient failures in a row after which a VIM's circuit opens: its uploads wait instead of trying.</summary>
    [Range(1, 1000)]
    public int CircuitBreakerThreshold { get; set; } = 5;

    /// <summary>How long a circuit first stays open; doubled for each failure beyond the threshold, up to <see cref="CircuitBreakerMaxOpen"/>.</summary>
    public TimeSpan CircuitBreakerOpen { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CircuitBreakerMaxOpen { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether VIM connections (Glance, Keystone, registries and their token services, Multicloud) may reach loopback,
    /// private, shared, link-local (a cloud's metadata service) and unique-local addresses. Off by default, so that a VIM
    /// registration cannot make Image Manager call the services inside its own network; checked on the address connected
    /// to, whatever the URL's form. On where the VIMs are in the operator's own private network (usual for VIMs on a
    /// management network) and for a single-machine install, which <c>up</c> and the tests set.
    /// </summary>
    public bool AllowPrivateVimAddresses { get; set; }

    /// <summary>
    /// Private networks VIM connections may reach while <see cref="AllowPrivateVimAddresses"/> is off, in CIDR form
    /// (<c>10.20.0.0/16</c>): the VIMs' management network, and not the one Image Manager's own services are on.
    /// </summary>
    public string[] AllowedPrivateVimNetworks { get; set; } = [];

    /// <summary><see cref="AllowedPrivateVimNetworks"/>, read (validated on start).</summary>
    public IReadOnlyList<System.Net.IPNetwork> PrivateVimNetworks =>
        [.. AllowedPrivateVimNetworks.Select(network => System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed : default).Where(network => network != default)];

    /// <summary>How often VIMs that have been failing, or have not answered yet, are probed, so that their health is known and their circuit closes as soon as they answer.</summary>
    public TimeSpan HealthProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a replica looks for distributions written but not started, older than this too: those whose writer
    /// died between its commit and asking for the start (see <c>UnstartedDistributionSweep</c>).
    /// </summary>
    public TimeSpan StartSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a step of an upload (uploading, verifying) must last before it is reported: a person watching sees it
    /// within this time, and the many uploads that end sooner cost one message (their end) instead of three.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReportStepsAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The region this replica is placed in (a VIM's <c>region</c> that a hub serves): it then consumes only that region's
    /// upload commands, reading images through the region's hub, and nothing else. Unset (the default): a central
    /// replica, consuming everything else. 1 to 64 letters, digits, '.', '_' or '-' (it names the region's queues).
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// How long an upload command waits in a region's queue for a worker of the region before the central workers take it
    /// (pushing from the centre). Fixed when the region's queues are first declared: changing it means deleting them
    /// while no regional worker runs (docs/deployment.md). Commands a live regional worker has taken are not concerned.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RegionalHandoverAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The number of retries in effect.</summary>
    public int RetryCount => RetryIntervals.Length > 0 ? RetryIntervals.Length : Retries;

    /// <summary>The wait before retry <paramref name="retry"/> (1-based); <paramref name="random"/> in [0, 1) picks the jitter.</summary>
    public TimeSpan RetryDelay(int retry, double random)
    {
        var nominal = RetryIntervals.Length > 0
            ? RetryIntervals[Math.Clamp(retry - 1, 0, RetryIntervals.Length - 1)]
            : TimeSpan.FromTicks((long)Math.Min(RetryMaxInterval.Ticks, RetryInitialInterval.Ticks * Math.Pow(2, retry - 1)));
        return nominal * (1 + (RetryJitter * ((2 * random) - 1)));
    }
}

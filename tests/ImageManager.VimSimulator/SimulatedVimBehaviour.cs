namespace ImageManager.VimSimulator;

/// <summary>
/// How one simulated VIM behaves: added latency per request, a bandwidth cap on uploads, and faults, either every
/// time (<see cref="FailWith"/>) or with a probability per request (<see cref="ServerErrorRate"/>,
/// <see cref="TimeoutRate"/>, <see cref="ResetRate"/>), drawn from a seeded generator so runs repeat.
/// </summary>
public sealed record SimulatedVimBehaviour
{
    public static SimulatedVimBehaviour Healthy { get; } = new();

    public TimeSpan Latency { get; init; }

    /// <summary>Bytes per second an upload may go at; null for no limit.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    /// <summary>Every request fails this way: a status code (e.g. 500), or <see cref="Fault.Timeout"/> / <see cref="Fault.Reset"/>.</summary>
    public Fault? FailWith { get; init; }

    /// <summary>Only the first this many requests fail with <see cref="FailWith"/>, the later ones are served: a VIM that was down for a moment. 0: every request fails.</summary>
    public int FailFirst { get; init; }

    /// <summary>
    /// The Multicloud subset shows images without <c>os_hash_algo</c>/<c>os_hash_value</c>, as the VMware VIO plugin's
    /// summary does (the OpenStack plugins pass Glance's record through, hashes included).
    /// </summary>
    public bool HashesHidden { get; init; }

    /// <summary>When set (<c>user:password</c>), requests without that HTTP basic authentication are answered 401 (registries have <see cref="RegistryAuth"/>).</summary>
    public string? BasicCredentials { get; init; }

    /// <summary>Web-download imports are refused as Glance's import filtering refuses a URI it does not allow: 400, the URI quoted whole.</summary>
    public bool WebDownloadFiltered { get; init; }

    public double ServerErrorRate { get; init; }
    public double TimeoutRate { get; init; }
    public double ResetRate { get; init; }

    /// <summary>For a simulated registry: the authentication it asks for; null for none.</summary>
    public SimulatedRegistryAuth? RegistryAuth { get; init; }
}

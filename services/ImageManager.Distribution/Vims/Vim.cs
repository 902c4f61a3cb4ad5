namespace ImageManager.Distribution.Vims;

/// <summary>A registered VIM: a cloud that images are distributed to.</summary>
public sealed class Vim
{
    /// <summary>ONAP style <c>{cloud-owner}_{cloud-region-id}</c>.</summary>
    public required string Id { get; set; }

    /// <summary><c>openstack</c>, <c>oci-registry</c> or <c>onap-multicloud</c>: which driver speaks to it.</summary>
    public required string Type { get; set; }

    /// <summary>
    /// The service images go to: Glance, the registry, or the Multicloud API (ending in '/'). For an OpenStack VIM with
    /// Keystone (<see cref="IdentityUrl"/>) Glance is found in the token's service catalog (public image endpoint, in
    /// <see cref="Region"/> when set), and this is where Glance is when the catalog lists none there.
    /// </summary>
    public required Uri Endpoint { get; set; }

    /// <summary>Keystone v3 of an OpenStack VIM (ending in <c>/v3</c>); when set, the driver logs in there with the credentials.</summary>
    public Uri? IdentityUrl { get; set; }

    /// <summary>The tenant or project at the VIM that images are placed in, where the API asks for one (Multicloud).</summary>
    public string? Tenant { get; set; }
    public string? Region { get; set; }
    public List<string> Tags { get; set; } = [];

    /// <summary>How an OpenStack VIM gets the bytes: <c>push</c> (we PUT them) or <c>web-download</c> (it pulls them from us).</summary>
    public string UploadMode { get; set; } = VimUploadModes.Push;

    /// <summary>The credentials, encrypted by <c>VimCredentialProtector</c>; null when the VIM needs none.</summary>
    public string? ProtectedCredentials { get; set; }

    /// <summary>PEM certificates trusted for this VIM's TLS, in place of the machine's store.</summary>
    public string? CaCertificates { get; set; }

    /// <summary>Skip TLS certificate checks: only by explicit choice, for labs.</summary>
    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>Uploads to this VIM at once, across the distributions that target it and every replica (see <c>VimUploadSlots</c>).</summary>
    public int MaxConcurrentUploads { get; set; } = 4;

    /// <summary>
    /// Most bytes per second sent to this VIM by one upload; null for no cap. Per upload, paced where the bytes are sent,
    /// so it needs no sharing between replicas: the VIM's total is at most this times <see cref="MaxConcurrentUploads"/>.
    /// </summary>
    public long? BandwidthLimitBytesPerSecond { get; set; }

    /// <summary>Transient failures in a row; the circuit opens at the configured threshold.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>While in the future, uploads to this VIM fail fast and wait for their next retry.</summary>
    public DateTimeOffset? CircuitOpenUntil { get; set; }
    public DateTimeOffset? LastProbeAt { get; set; }

    /// <summary>What the last probe or failed call said, made safe and short; null when it answered.</summary>
    public string? LastError { get; set; }

    /// <summary>When the VIM last answered a probe or a call as its API (null: never yet, so its health is unknown).</summary>
    public DateTimeOffset? LastAnsweredAt { get; set; }

    /// <summary>What the last failed probe or call found (<see cref="VimHealthReasons"/>); null when it answered.</summary>
    public string? HealthReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

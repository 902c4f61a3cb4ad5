namespace ImageManager.Topology;

/// <summary>What differs between one start of the system and another: where the infrastructure is, which names and ports to use, extra settings.</summary>
public sealed record TopologyOptions
{
    /// <summary>The broker, virtual host included (each test fixture has one of its own).</summary>
    public required string RabbitMqUri { get; init; }

    /// <summary>Every node of the RabbitMQ cluster as <c>host:port</c>, when the broker is a cluster; empty for one node.</summary>
    public IReadOnlyList<string> RabbitMqNodes { get; init; } = [];

    /// <summary>Every queue a quorum queue (replicated over the cluster's nodes); see <c>RabbitMq:QuorumQueues</c>.</summary>
    public bool QuorumQueues { get; init; }

    /// <summary>
    /// Every service behind HAProxy (<see cref="BalancerConfiguration"/>): the service's declared port (or a free one) is
    /// HAProxy's, where users reach the Api and the services reach each other; its replicas listen 10 × (r + 1) above it.
    /// </summary>
    public bool Balanced { get; init; }

    /// <summary>A MariaDB connection string (its database name is replaced by the Catalog's).</summary>
    public required string MariaDb { get; init; }

    /// <summary>A PostgreSQL connection string (its database name is replaced by the Distribution's and the Notifications').</summary>
    public required string Postgres { get; init; }

    /// <summary>Appended to every database name, so that each fixture or bench run has databases of its own; empty for an installation.</summary>
    public string DatabaseSuffix { get; init; } = "";

    /// <summary>
    /// ClamAV's clamd, which scans every upload (the Validation's <c>Scanning:Clamd</c>: <c>tcp://host:port</c>); null leaves
    /// the Validation's own setting, and without one it refuses to start while <c>Scanning:Required</c> is true.
    /// </summary>
    public string? Clamd { get; init; }

    /// <summary>The blob store's root folder; the Data Protection keys live beside it (<c>{BlobRoot}-keys</c>) unless <see cref="KeysDirectory"/> says.</summary>
    public required string BlobRoot { get; init; }

    public string? KeysDirectory { get; init; }

    /// <summary>
    /// The Validation's trust-store folder (<c>Signatures:TrustStore</c>); <c>{BlobRoot}-trust</c> unless set. The starter
    /// makes it (<c>imagemanager.sh up</c>: <c>.local/trust</c>); a folder missing is an empty store, so every signature fails.
    /// </summary>
    public string? TrustStore { get; init; }

    /// <summary>When set, the blobs live in this S3 bucket, shared by every replica (<see cref="BlobRoot"/> still holds the keys' default place).</summary>
    public BlobBucket? BlobsInS3 { get; init; }

    /// <summary>
    /// The PKCS#12 file the Distribution's and the Notifications' key rings are encrypted to (<c>DataProtection:Certificate</c>),
    /// as those services find it (<see cref="KeyRingCertificateFile"/> makes one); not set when an operator's own setting stands.
    /// </summary>
    public string? KeyRingCertificate { get; init; }

    /// <summary>The secret the Api presents to the services behind it.</summary>
    public required string ServiceToken { get; init; }

    /// <summary>The Api's bootstrap admin key; not set when none is wanted (or an operator's own setting stands).</summary>
    public string? BootstrapAdminKey { get; init; }

    /// <summary>Free loopback ports for every process (tests, bench) instead of the installation's fixed ones (5080-5084).</summary>
    public bool FreePorts { get; init; }

    /// <summary>Processes per service (1 when not named here); replica r of a fixed-port service listens 10 × r above it.</summary>
    public IReadOnlyDictionary<string, int> Replicas { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Regions that get a Distribution replica of their own (<c>Distribution:Region</c>), declared as the service
    /// <c>distribution-region-{region}</c>: it consumes only its region's upload commands and reads images through the
    /// region's hub. Empty: every upload is central.
    /// </summary>
    public IReadOnlyList<string> RegionalDistributions { get; init; } = [];

    /// <summary><c>Production</c> as operators run it; the tests use <c>Development</c> (scope validation and the like).</summary>
    public string EnvironmentName { get; init; } = "Production";

    /// <summary>One client (the tests' or the bench's) registers thousands of VIMs as fast as it can: not what the per-caller limit is for.</summary>
    public bool LiftCallerLimits { get; init; }

    /// <summary>Settings for every service (<c>Section__Key</c>), over the declared ones.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings for one service by its name, over everything else.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceSettings { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
}

namespace ImageManager.Topology;

/// <summary>One service of the declared system: its project, the address of each of its processes (replicas) and its settings.</summary>
public sealed class DeclaredService(string name, string project, IReadOnlyList<Uri> addresses, string? connectionString, Uri? balancedAddress = null)
{
    readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    /// <summary><c>catalog</c>, <c>distribution</c>, <c>validation</c>, <c>notifications</c>, <c>api</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The project under <c>services/</c> whose build output runs.</summary>
    public string Project { get; } = project;

    /// <summary>One address per replica.</summary>
    public IReadOnlyList<Uri> Addresses { get; } = addresses;

    /// <summary>HAProxy's address in front of the replicas, when the system is balanced.</summary>
    public Uri? BalancedAddress { get; } = balancedAddress;

    /// <summary>Where users and the other services reach it: the balancer, else the first replica.</summary>
    public Uri Address => BalancedAddress ?? Addresses[0];

    /// <summary>The database this service owns, if any.</summary>
    public string? ConnectionString { get; } = connectionString;

    /// <summary>Owns a database: <c>{Project} migrate</c> runs before any service starts.</summary>
    public bool Migrates => ConnectionString is not null;

    /// <summary>Environment variables (<c>Section__Key</c>) every replica gets, its listening address aside.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary><c>api</c> for the first replica, <c>api-2</c> for the second...</summary>
    public string InstanceName(int replica) => replica == 0 ? Name : $"{Name}-{replica + 1}";

    /// <summary>Everything one replica's process gets in its environment.</summary>
    public IReadOnlyDictionary<string, string> SettingsOf(int replica) =>
        new Dictionary<string, string>(_settings, StringComparer.Ordinal) { ["Urls"] = Addresses[replica].ToString().TrimEnd('/') };

    internal DeclaredService Set(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    internal DeclaredService Set(IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        return this;
    }
}

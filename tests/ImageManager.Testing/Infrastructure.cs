namespace ImageManager.Testing;

/// <summary>
/// The local infrastructure the tests use, as <c>infra/infra.sh start</c> describes it in <c>.local/infra/env</c>
/// (the test command exports those variables; a missing one is read from that file).
/// </summary>
public static class Infrastructure
{
    static readonly Lazy<IReadOnlyDictionary<string, string>> EnvFile = new(ReadEnvFile);

    public static string MariaDb => Get("IMAGEMANAGER_MARIADB");
    public static string Postgres => Get("IMAGEMANAGER_POSTGRES");
    public static Uri Glance1 => new(Get("IMAGEMANAGER_GLANCE_1"));
    public static Uri Glance2 => new(Get("IMAGEMANAGER_GLANCE_2"));
    public static string? RabbitMqUri => Find("IMAGEMANAGER_RABBITMQ_URI");

    /// <summary>The OCI distribution registry without auth.</summary>
    public static Uri Registry => new(Get("IMAGEMANAGER_REGISTRY"));

    /// <summary>The OCI distribution registry with htpasswd basic auth; its test-only user is <see cref="RegistryAuthUser"/>.</summary>
    public static Uri RegistryAuth => new(Get("IMAGEMANAGER_REGISTRY_AUTH"));

    public static string RegistryAuthUser => Get("IMAGEMANAGER_REGISTRY_AUTH_USER");

    public static string RegistryAuthPassword => Get("IMAGEMANAGER_REGISTRY_AUTH_PASSWORD");

    /// <summary>The MariaDB connection string with another database name (a test's own database).</summary>
    public static string MariaDbDatabase(string database) => WithDatabase(MariaDb, database);

    /// <summary>The PostgreSQL connection string with another database name (a test's own database).</summary>
    public static string PostgresDatabase(string database) => WithDatabase(Postgres, database);

    public static string Get(string name) => Find(name)
        ?? throw new InvalidOperationException(
            $"{name} is not set. Start the infrastructure with `infra/infra.sh start` (or run the tests with `./imagemanager.sh test`).");

    static string? Find(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : EnvFile.Value.GetValueOrDefault(name);

    static string WithDatabase(string connectionString, string database) =>
        string.Join(';', connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.StartsWith("Database=", StringComparison.OrdinalIgnoreCase) ? $"Database={database}" : part));

    static IReadOnlyDictionary<string, string> ReadEnvFile()
    {
        var path = Path.Combine(RepositoryPaths.Root, ".local", "infra", "env");
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        return File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim('"', '\''));
    }
}

namespace ImageManager.Topology;

/// <summary>Connection strings of the infrastructure, pointed at one database or another.</summary>
public static class ConnectionStrings
{
    /// <summary>The connection string with its <c>Database=</c> replaced (MariaDB and PostgreSQL spell it alike).</summary>
    public static string WithDatabase(string connectionString, string database) =>
        string.Join(';', connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.StartsWith("Database=", StringComparison.OrdinalIgnoreCase) ? $"Database={database}" : part));

    /// <summary>The connection string with <paramref name="key"/> set to <paramref name="value"/> unless it already says.</summary>
    public static string WithDefault(string connectionString, string key, string value) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries).Any(part => part.StartsWith(key + "=", StringComparison.OrdinalIgnoreCase))
            ? connectionString
            : $"{connectionString.TrimEnd(';')};{key}={value}";
}

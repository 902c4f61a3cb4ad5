using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageManager.Bench;

/// <summary>
/// CPU time used so far by every process on this machine, summed per component: each service (its replicas together),
/// each engine (the single one apart from the cluster), this bench (its client and the simulated VIMs). A process that
/// matches nothing counts for its parent's component: database backends, Erlang's helpers, Swift's workers. Children
/// that ended and were reaped count for their parent (cutime, cstime).
/// </summary>
public static partial class ComponentCpuTime
{
    static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on

    /// <summary>The component of ClamAV's clamd (infra/clamav.sh), the Validation's malware scanner.</summary>
    public const string Clamd = "clamd";

    /// <summary>CPU seconds per component, at this moment.</summary>
    public static Dictionary<string, double> Read()
    {
        var processes = new Dictionary<int, (int Parent, string Command, double Seconds)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var (parent, seconds) = ParseStat(File.ReadAllText(Path.Combine(folder, "stat")));
                var command = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                processes[pid] = (parent, command, seconds);
            }
            catch (IOException)
            {
                // It ended while being read.
            }
        }

        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (pid, process) in processes)
        {
            var component = ComponentOf(pid, processes);
            totals[component] = totals.GetValueOrDefault(component) + process.Seconds;
        }

        return totals;
    }

    /// <summary>CPU seconds one process (all its threads, and its reaped children) has used so far.</summary>
    public static double OfProcess(int pid) => ParseStat(File.ReadAllText($"/proc/{pid}/stat")).Seconds;

    static (int Parent, double Seconds) ParseStat(string stat)
    {
        // After the command's closing parenthesis: state, ppid, ... utime stime cutime cstime (fields 14-17).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = Enumerable.Range(11, 4).Sum(i => double.Parse(fields[i], CultureInfo.InvariantCulture));
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), ticks / TicksPerSecond);
    }

    /// <summary>What <paramref name="before"/> to <paramref name="after"/> cost each component, largest first.</summary>
    public static IReadOnlyList<(string Component, double Seconds)> Between(Dictionary<string, double> before, Dictionary<string, double> after) =>
        [.. after.Select(a => (a.Key, a.Value - before.GetValueOrDefault(a.Key))).Where(c => c.Item2 >= 0.5).OrderByDescending(c => c.Item2)];

    static string ComponentOf(int pid, Dictionary<int, (int Parent, string Command, double Seconds)> processes)
    {
        for (var hops = 0; hops < 8 && processes.TryGetValue(pid, out var process); hops++, pid = process.Parent)
        {
            if (Name(process.Command) is { } name)
            {
                return name;
            }
        }

        return "other";
    }

    static string? Name(string command)
    {
        if (command.Contains("ImageManager.Bench", StringComparison.Ordinal))
        {
            return "bench: client and simulated VIMs";
        }

        if (ServiceAssembly().Match(command) is { Success: true } service)
        {
            return service.Groups[1].Value.ToLowerInvariant();
        }

        if (command.StartsWith("memcached", StringComparison.Ordinal))
        {
            return "Swift"; // its token cache: the only memcached here
        }

        if (command.Contains("haproxy", StringComparison.Ordinal))
        {
            return command.Contains("haproxy-ha", StringComparison.Ordinal) ? "HAProxy: databases" : "HAProxy: services";
        }

        return InfraFolder().Match(command) is { Success: true } folder
            ? folder.Groups[1].Value switch
            {
                "rabbitmq" => "RabbitMQ",
                var f when f.StartsWith("rabbitmq-ha", StringComparison.Ordinal) => "RabbitMQ cluster",
                "mariadb" => "MariaDB",
                var f when f.StartsWith("galera", StringComparison.Ordinal) => "Galera",
                var f when f.StartsWith("patroni", StringComparison.Ordinal) || f == "etcd" => "PostgreSQL: Patroni and etcd",
                "postgres" => "PostgreSQL",
                "swift" => "Swift",
                "clamav" => Clamd,
                _ => null,
            }
            : null;
    }

    [GeneratedRegex(@"ImageManager\.(Api|Catalog|Distribution|Validation|Notifications)\.dll")]
    private static partial Regex ServiceAssembly();

    [GeneratedRegex(@"\.local/infra/([a-z0-9-]+)")]
    private static partial Regex InfraFolder();
}

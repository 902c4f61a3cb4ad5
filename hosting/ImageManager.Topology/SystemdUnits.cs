using System.Globalization;
using System.Text;

namespace ImageManager.Topology;

/// <summary>
/// The declared system as systemd units, for an installation without the app host: one oneshot unit per migration, one
/// unit per process (replica), each with an environment file holding its settings (secrets among them: written 0600).
/// <c>imagemanager.sh configs DIR</c> writes them with HAProxy's configuration; docs/deployment.md says where they go.
/// </summary>
public static class SystemdUnits
{
    /// <summary>Where the environment files are read from on the machine the units run on.</summary>
    public const string EnvironmentDirectory = "/etc/imagemanager";

    /// <summary>
    /// File name and text of every unit (<c>systemd/</c>) and environment file (<c>env/</c>); the services' builds are
    /// expected at <c>{installDirectory}/{Project}/{Project}.dll</c> (<c>dotnet publish</c> output).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Render(DeclaredSystem system, string installDirectory)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in system.Migrations)
        {
            var name = $"{service.Name}-migrate";
            files[$"env/{name}.env"] = EnvironmentFile(service.Settings);
            files[$"systemd/imagemanager-{name}.service"] = Unit(
                $"Image Manager: {service.Name} database migrations", service.Project, installDirectory, name, "migrate", oneshot: true, after: null);
        }

        foreach (var service in system.Services)
        {
            var migration = service.Migrates ? $"imagemanager-{service.Name}-migrate.service" : null;
            for (var replica = 0; replica < service.Addresses.Count; replica++)
            {
                var instance = service.InstanceName(replica);
                files[$"env/{instance}.env"] = EnvironmentFile(service.SettingsOf(replica));
                files[$"systemd/imagemanager-{instance}.service"] = Unit(
                    $"Image Manager: {instance} ({service.Addresses[replica]})", service.Project, installDirectory, instance, null, oneshot: false, after: migration);
            }
        }

        if (system.Balanced)
        {
            files["haproxy.cfg"] = BalancerConfiguration.Render(system);
        }

        return files;
    }

    static string Unit(string description, string project, string installDirectory, string instance, string? argument, bool oneshot, string? after)
    {
        var assembly = $"{installDirectory.TrimEnd('/')}/{project}/{project}.dll";
        var text = new StringBuilder()
            .AppendLine("# Generated from the system declaration (hosting/ImageManager.Topology); generate again rather than edit.")
            .AppendLine("[Unit]")
            .AppendLine(CultureInfo.InvariantCulture, $"Description={description}")
            .AppendLine("Wants=network-online.target")
            .AppendLine(CultureInfo.InvariantCulture, $"After=network-online.target{(after is null ? "" : " " + after)}");
        if (after is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Requires={after}");
        }

        text.AppendLine("[Service]")
            .AppendLine(oneshot ? "Type=oneshot" : "Type=exec")
            .AppendLine("User=imagemanager")
            .AppendLine(CultureInfo.InvariantCulture, $"WorkingDirectory={installDirectory.TrimEnd('/')}/{project}")
            .AppendLine(CultureInfo.InvariantCulture, $"EnvironmentFile={EnvironmentDirectory}/{instance}.env")
            .AppendLine(CultureInfo.InvariantCulture, $"ExecStart=/usr/bin/dotnet {assembly}{(argument is null ? "" : " " + argument)}");
        if (oneshot)
        {
            text.AppendLine("RemainAfterExit=yes");
        }
        else
        {
            // A crashed process comes back by itself; its replica and HAProxy carry the load meanwhile.
            text.AppendLine("Restart=always").AppendLine("RestartSec=2").AppendLine("TimeoutStopSec=30");
        }

        return text.AppendLine("[Install]").AppendLine("WantedBy=multi-user.target").ToString();
    }

    /// <summary>systemd's environment file: one <c>KEY="value"</c> per line, backslash and double quote escaped.</summary>
    static string EnvironmentFile(IReadOnlyDictionary<string, string> settings)
    {
        var text = new StringBuilder("# Generated from the system declaration; holds secrets: keep it 0600, owned by root.\n");
        foreach (var (key, value) in settings.OrderBy(setting => setting.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
        }

        return text.ToString();
    }
}

using ImageManager.Topology;

namespace ImageManager.AppHost;

/// <summary>The declared system as Aspire resources: one executable per migration and per replica, from the services' builds.</summary>
public static class DeclaredSystemResources
{
    /// <summary>
    /// The migrations run one after the other, in the declared order; then the services start in the declared order,
    /// each once the one before answers <c>/readyz</c>. Every service sends its traces and metrics to the dashboard.
    /// </summary>
    public static void AddDeclaredSystem(this IDistributedApplicationBuilder builder, DeclaredSystem declaration)
    {
        IResourceBuilder<ExecutableResource>? previous = null;
        foreach (var service in declaration.Migrations)
        {
            var migration = Executable(builder, $"{service.Name}-migrate", service.Project, service.Settings, "migrate");
            previous = previous is null ? migration : migration.WaitForCompletion(previous);
        }

        var lastMigration = previous;
        // Balanced, HAProxy stands in front of every service (users reach the Api through it, the services each other).
        var balancer = declaration.Balanced ? Balancer(builder, declaration) : null;
        foreach (var service in declaration.Services)
        {
            for (var replica = 0; replica < service.Addresses.Count; replica++)
            {
                var process = Executable(builder, service.InstanceName(replica), service.Project, service.SettingsOf(replica))
                    .WithHttpEndpoint(port: service.Addresses[replica].Port, isProxied: false)
                    .WithHttpHealthCheck("/readyz")
                    .WithOtlpExporter();
                if (lastMigration is not null)
                {
                    process.WaitForCompletion(lastMigration);
                }

                if (balancer is not null)
                {
                    process.WaitFor(balancer);
                }

                if (previous is not null && previous != lastMigration)
                {
                    process.WaitFor(previous);
                }

                previous = process;
            }
        }
    }

    /// <summary>HAProxy in the foreground with the declaration's configuration, written to <c>.local/run/haproxy.cfg</c>.</summary>
    static IResourceBuilder<ExecutableResource> Balancer(IDistributedApplicationBuilder builder, DeclaredSystem declaration)
    {
        var directory = Directory.CreateDirectory(Path.Combine(ServiceBuilds.Root, ".local", "run")).FullName;
        var configuration = Path.Combine(directory, "haproxy.cfg");
        File.WriteAllText(configuration, BalancerConfiguration.Render(declaration));
        return builder.AddExecutable("haproxy", "/usr/sbin/haproxy", directory, "-db", "-W", "-f", configuration);
    }

    static IResourceBuilder<ExecutableResource> Executable(
        IDistributedApplicationBuilder builder, string name, string project, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var assembly = ServiceBuilds.AssemblyOf(project);
        var executable = builder.AddExecutable(name, "dotnet", Path.GetDirectoryName(assembly)!, [assembly, .. arguments]);
        foreach (var (key, value) in settings)
        {
            executable.WithEnvironment(key, value);
        }

        return executable;
    }
}

using System.Diagnostics;
using Testcontainers.RabbitMq;
using Xunit;

namespace ImageManager.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test fixture, so that fixtures never consume each other's messages.
/// Uses the local broker that <c>infra/infra.sh</c> started; when none is configured and a Docker engine answers,
/// a Testcontainers broker instead.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    RabbitMqContainer? _container;
    string? _virtualHost;

    /// <summary>The AMQP URI, virtual host included, that this fixture's buses use.</summary>
    public Uri Uri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Infrastructure.RabbitMqUri is { } local)
        {
            _virtualHost = $"test-{Guid.NewGuid():N}";
            await RabbitMqCtl("add_vhost", _virtualHost);
            await RabbitMqCtl("set_permissions", "-p", _virtualHost, "guest", ".*", ".*", ".*");
            Uri = new Uri(new Uri(local), Uri.EscapeDataString(_virtualHost));
            return;
        }

        if (!File.Exists("/var/run/docker.sock"))
        {
            throw new InvalidOperationException(
                "No RabbitMQ: IMAGEMANAGER_RABBITMQ_URI is not set and no Docker engine answers. Run `infra/infra.sh start`.");
        }

        _container = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").Build();
        await _container.StartAsync();
        Uri = new Uri(_container.GetConnectionString());
    }

    public async Task DisposeAsync()
    {
        if (_virtualHost is not null)
        {
            await RabbitMqCtl("delete_vhost", _virtualHost);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    static async Task RabbitMqCtl(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "infra", "infra.sh"));
        start.ArgumentList.Add("rabbitmqctl");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed: {await output} {await error}");
        }
    }
}

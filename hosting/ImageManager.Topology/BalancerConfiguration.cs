using System.Globalization;
using System.Text;

namespace ImageManager.Topology;

/// <summary>
/// HAProxy's configuration for a balanced <see cref="DeclaredSystem"/>: one front per service at its
/// <see cref="DeclaredService.BalancedAddress"/>, spreading requests over the replicas that answer <c>/healthz</c>. The tests,
/// the bench, <c>imagemanager.sh up --ha</c> and docs/deployment.md all start HAProxy from this text.
/// </summary>
public static class BalancerConfiguration
{
    public static string Render(DeclaredSystem system)
    {
        var text = new StringBuilder();
        text.AppendLine("# Generated from the system declaration (hosting/ImageManager.Topology); edit that, not this file.")
            .AppendLine("global")
            // Within the file descriptors a process gets here (20,000; HAProxy needs two per connection and some).
            .AppendLine("  maxconn 8000")
            .AppendLine("defaults")
            .AppendLine("  mode http")
            // A request whose replica is gone (connection refused) goes to another; nothing is retried once a replica has it,
            // so a POST is never sent twice.
            .AppendLine("  option redispatch")
            .AppendLine("  retries 3")
            .AppendLine("  retry-on conn-failure")
            // Least connections: streams (events, uploads, downloads) last long, requests do not.
            .AppendLine("  balance leastconn")
            .AppendLine("  timeout connect 2s")
            .AppendLine("  timeout http-request 30s")
            // Uploads and downloads of many GiB, and event streams that stay open until their distribution ends.
            .AppendLine("  timeout client 1h")
            .AppendLine("  timeout server 1h")
            .AppendLine("  timeout tunnel 1h")
            // A killed replica refuses connections: out after three checks (1.5 s). A replica that is only slow to answer
            // gets five seconds per check and stays in: with 2 s, both Distribution replicas starting a 2,000-target
            // distribution on two cores were taken out together, and every caller got HAProxy's 503 page.
            .AppendLine("  timeout check 5s")
            .AppendLine("  default-server inter 500ms fall 3 rise 2");
        foreach (var service in system.Services.Where(service => service.BalancedAddress is not null))
        {
            var front = service.BalancedAddress!;
            text.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"frontend {service.Name}")
                .AppendLine(CultureInfo.InvariantCulture, $"  bind {front.Host}:{front.Port}")
                .AppendLine(CultureInfo.InvariantCulture, $"  default_backend {service.Name}")
                .AppendLine(CultureInfo.InvariantCulture, $"backend {service.Name}")
                .AppendLine("  option httpchk")
                .AppendLine("  http-check send meth GET uri /healthz")
                .AppendLine("  http-check expect status 200");
            for (var replica = 0; replica < service.Addresses.Count; replica++)
            {
                var address = service.Addresses[replica];
                text.AppendLine(CultureInfo.InvariantCulture, $"  server {service.InstanceName(replica)} {address.Host}:{address.Port} check");
            }
        }

        return text.ToString();
    }
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.ServiceDefaults;

/// <summary>Where the broker is. Bound from the <c>RabbitMq</c> section.</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "RabbitMq";

    /// <summary>For example <c>amqp://guest:guest@127.0.0.1:5673/</c>; the path is the virtual host.</summary>
    [Required]
    public Uri? Uri { get; set; }

    /// <summary>
    /// Every node of a RabbitMQ cluster, as <c>host:port</c>: the clients connect to one of them and move to another when
    /// that one goes. Empty: the host of <see cref="Uri"/> only. User, password and virtual host come from <see cref="Uri"/>.
    /// </summary>
    public string[] Nodes { get; set; } = [];

    /// <summary>
    /// Every receive endpoint and every subscribers' queue is a quorum queue, replicated across the cluster's nodes, which
    /// survives the loss of a minority of them. Off by default: a queue's type is fixed when it is declared, so a broker
    /// that already holds classic queues of these names needs them deleted first (docs/deployment.md says how).
    /// </summary>
    public bool QuorumQueues { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var node in Nodes)
        {
            if (!TryParseNode(node, out _, out _))
            {
                yield return new ValidationResult($"RabbitMq:Nodes holds '{node}', which is not host:port (for example 127.0.0.1:5682).", [nameof(Nodes)]);
            }
        }
    }

    /// <summary><c>host:port</c>, the port 1 to 65535.</summary>
    public static bool TryParseNode(string node, out string host, out int port)
    {
        var colon = node.LastIndexOf(':');
        host = colon > 0 ? node[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(node.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.ServiceDefaults;

/// <summary>Where the broker is. Bound from the <c>RabbitMq</c> section.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>For example <c>amqp://guest:guest@127.0.0.1:5673/</c>; the path is the virtual host.</summary>
    [Required]
    public Uri? Uri { get; set; }
}

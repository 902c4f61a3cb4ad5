using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Hubs;

/// <summary>Settings <c>Hubs:*</c>: how fresh this replica's view of the hubs and of their health is.</summary>
public sealed class HubOptions
{
    public const string Section = "Hubs";

    /// <summary>How long this replica uses the hubs it read (another replica's change shows within this; its own at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DirectoryRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a hub's answer to its health check is believed: a hub that died gets no new edge after this.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan HealthRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a hub's health check may take (it answers through to the centre's <c>/healthz</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

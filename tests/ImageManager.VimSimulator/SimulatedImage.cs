using System.Text.Json.Nodes;

namespace ImageManager.VimSimulator;

/// <summary>An image a simulated Glance holds: its record as Glance shows it. The bytes are hashed and counted, not kept.</summary>
public sealed class SimulatedImage(JsonObject record)
{
    public JsonObject Record { get; } = record;
    public string Status => Record["status"]!.GetValue<string>();
    public string? Sha512 => Record["os_hash_value"]?.GetValue<string>();
}

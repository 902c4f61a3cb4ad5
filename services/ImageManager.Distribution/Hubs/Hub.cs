namespace ImageManager.Distribution.Hubs;

/// <summary>A regional hub: its cache's base URL as the VIMs of its regions reach it, and those regions.</summary>
public sealed class Hub
{
    public required string Id { get; set; }
    public required string BaseUrl { get; set; }
    public List<string> Regions { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

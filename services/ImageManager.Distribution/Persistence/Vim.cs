namespace ImageManager.Distribution.Persistence;

/// <summary>A registered VIM: a cloud that images are distributed to.</summary>
public sealed class Vim
{
    /// <summary>ONAP style <c>{cloud-owner}_{cloud-region-id}</c>.</summary>
    public required string Id { get; set; }
    public required string Type { get; set; }
    public required Uri Endpoint { get; set; }
    public string? Region { get; set; }
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

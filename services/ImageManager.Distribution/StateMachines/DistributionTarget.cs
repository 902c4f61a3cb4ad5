namespace ImageManager.Distribution.StateMachines;

/// <summary>One image-VIM pair of a distribution, a row of its own.</summary>
public sealed class DistributionTarget
{
    public Guid DistributionId { get; set; }
    public required string VimId { get; set; }
    public required string State { get; set; }
    public int Attempt { get; set; }
    public string? VimImageId { get; set; }
    public string? LastError { get; set; }
    public long BytesSent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

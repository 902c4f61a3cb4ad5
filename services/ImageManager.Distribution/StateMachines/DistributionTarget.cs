namespace ImageManager.Distribution.StateMachines;

/// <summary>One image-VIM pair of a distribution, a row of its own.</summary>
public sealed class DistributionTarget
{
    public Guid DistributionId { get; set; }
    public required string VimId { get; set; }
    public required string State { get; set; }
    public int Attempt { get; set; }

    /// <summary>
    /// How far the target has come, as one number (attempt × 10 + step): an event applies only if it moves this
    /// forward, so events that arrive out of order cannot undo a later step (see <see cref="TargetProgress"/>).
    /// </summary>
    public int Progress { get; set; }
    public string? VimImageId { get; set; }
    public string? LastError { get; set; }
    public long BytesSent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

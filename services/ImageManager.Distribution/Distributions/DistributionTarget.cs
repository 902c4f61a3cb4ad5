namespace ImageManager.Distribution.Distributions;

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
    /// <summary>Bytes of the image that went to the VIM in the current attempt, updated while they flow (every second or so).</summary>
    public long BytesSent { get; set; }

    /// <summary>The pace of the current transfer (bytes over the time since it began), while uploading; null otherwise.</summary>
    public double? BytesPerSecond { get; set; }

    /// <summary>The hub a pulling VIM was sent to for its current attempt (<see cref="Hubs.HubRoutes"/>); null: the centre.</summary>
    public string? Hub { get; set; }

    /// <summary>Why a VIM whose region has a hub pulled from the centre instead (the hub was unhealthy, or a pull through it failed).</summary>
    public string? HubFallback { get; set; }

    /// <summary>0 for the canary wave, 1 for the rest; a wave starts when the one before it has finished.</summary>
    public int Wave { get; set; }

    /// <summary>The order targets are started in within their wave.</summary>
    public int Sequence { get; set; }

    /// <summary>When its upload (or removal) was sent; null while it waits for a free slot or its wave.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

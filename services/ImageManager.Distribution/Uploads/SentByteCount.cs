namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The bytes one run of one target's upload has sent so far (<see cref="Add"/> is called by the VIM connection as the
/// transport takes them), with what of it is already written to the target's row.
/// </summary>
public sealed class SentByteCount(Guid distributionId, string vimId, int attempt, long started)
{
    long _bytes;
    long _written = -1; // never: the run's first flush writes even nothing, so a row left by a dead run starts again from 0

    public Guid DistributionId { get; } = distributionId;
    public string VimId { get; } = vimId;
    public int Attempt { get; } = attempt;

    /// <summary>When the run began (<see cref="TimeProvider.GetTimestamp"/>): the rate is the bytes over the time since.</summary>
    public long Started { get; } = started;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(int bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <summary>The count, if it moved since it was last written.</summary>
    public long? Unwritten => Bytes is var bytes && bytes != Interlocked.Read(ref _written) ? bytes : null;

    public void Written(long bytes) => Interlocked.Exchange(ref _written, bytes);
}

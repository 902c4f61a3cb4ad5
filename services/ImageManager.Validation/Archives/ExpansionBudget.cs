using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// Counts the bytes an archive expands to as they are produced, and refuses it the moment they pass the cap or the
/// ratio to its stored size: a bomb is stopped after a bounded amount of work, whatever its headers claim.
/// </summary>
public sealed class ExpansionBudget
{
    /// <summary>Below this the ratio is not applied: tar's record padding alone compresses more than 200 times.</summary>
    public const long RatioFloorBytes = 1 << 20;

    readonly ArchiveSafetyOptions _options;
    readonly long _storedBytes;
    readonly long _ratioLimit;

    public ExpansionBudget(ArchiveSafetyOptions options, long storedBytes)
    {
        _options = options;
        _storedBytes = storedBytes;
        var ratioLimit = storedBytes > long.MaxValue / options.MaxExpansionRatio ? long.MaxValue : storedBytes * options.MaxExpansionRatio;
        _ratioLimit = Math.Max(ratioLimit, RatioFloorBytes);
    }

    public long ExpandedBytes { get; private set; }

    public void Charge(int bytes)
    {
        ExpandedBytes += bytes;
        if (ExpandedBytes > _options.MaxExpandedBytes)
        {
            throw new ArchiveRefusedException(
                $"the archive expands to more than the limit of {ReasonText.Size(_options.MaxExpandedBytes)}");
        }

        if (ExpandedBytes > _ratioLimit)
        {
            throw new ArchiveRefusedException(
                $"the archive expands to more than {_options.MaxExpansionRatio} times its stored size of {ReasonText.Size(_storedBytes)} " +
                $"(already {ReasonText.Size(ExpandedBytes)}): a compression bomb");
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.Validation.Scanning;

/// <summary>Bound from the <c>Scanning</c> section: the malware scan of every upload by ClamAV's clamd, checked on start.</summary>
public sealed class ScanningOptions : IValidatableObject
{
    public const string Section = "Scanning";

    /// <summary>clamd's address: <c>tcp://host:port</c> (its <c>TCPSocket</c>) or <c>unix:///path/clamd.ctl</c> (its <c>LocalSocket</c>).</summary>
    public string? Clamd { get; set; }

    /// <summary>
    /// True (the default): no image becomes active unscanned. While clamd cannot be reached (or answers with an error) the
    /// upload's message is tried again (<see cref="UnavailableRetries"/>) and the image waits in <c>validating</c>; after
    /// the last try the message goes to the endpoint's <c>_error</c> queue, from where an operator moves it back once
    /// clamd is up. False: an unreachable clamd is logged as a warning and the image is validated "not scanned".
    /// </summary>
    public bool Required { get; set; } = true;

    /// <summary>
    /// Bytes sent to clamd in one INSTREAM session. clamd cannot scan a file over 2 GB and closes a stream over its
    /// <c>StreamMaxLength</c>, so a larger image is scanned in windows of this size, each overlapping the previous one by
    /// <see cref="WindowOverlapBytes"/> (a body signature shorter than that is found across the seam). Whole-file hash
    /// signatures and archive extraction see each window on its own. Keep it below clamd's <c>StreamMaxLength</c> and
    /// <c>MaxFileSize</c> (infra/templates/clamav/clamd.conf: 2000M).
    /// </summary>
    [Range(typeof(long), "1048576", "2000000000")]
    public long WindowBytes { get; set; } = 1L << 30;

    [Range(0, 16 * 1024 * 1024)]
    public int WindowOverlapBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// True (the default): when the blob is a file on this machine (the file-system blob store), no larger than
    /// <see cref="WindowBytes"/>, and clamd listens on this machine (loopback or a unix socket), clamd reads the file
    /// itself (its SCAN command) instead of being sent the bytes (INSTREAM, which it copies to a temporary file first):
    /// about half of clamd's CPU per GiB. When clamd cannot read the file (it answers an error: another user, another
    /// mount namespace), the bytes are streamed as before.
    /// </summary>
    public bool ScanFilesInPlace { get; set; } = true;

    /// <summary>How long connecting to clamd may take before it counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one window's scan may take, from its last byte to clamd's answer (clamd's <c>MaxScanTime</c> is 10 minutes).</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromMinutes(11);

    /// <summary>Tries again of an upload while clamd is unavailable and scanning is required: 60 × 10 s, about ten minutes.</summary>
    [Range(0, 1000)]
    public int UnavailableRetries { get; set; } = 60;

    public TimeSpan UnavailableRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Clamd))
        {
            if (Required)
            {
                yield return new ValidationResult(
                    $"{Section}:Clamd is required while {Section}:Required is true: clamd's address, e.g. tcp://127.0.0.1:3310.", [nameof(Clamd)]);
            }
        }
        else if (!ClamdAddress.TryParse(Clamd, out _))
        {
            yield return new ValidationResult(
                $"{Section}:Clamd must be tcp://host:port or unix:///path (got '{Clamd}').", [nameof(Clamd)]);
        }

        if (WindowOverlapBytes * 2L >= WindowBytes)
        {
            yield return new ValidationResult($"{Section}:WindowOverlapBytes must be less than half of {Section}:WindowBytes.", [nameof(WindowOverlapBytes)]);
        }

        if (ConnectTimeout <= TimeSpan.Zero || ReplyTimeout <= TimeSpan.Zero || UnavailableRetryInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult(
                $"{Section}:ConnectTimeout, {Section}:ReplyTimeout and {Section}:UnavailableRetryInterval must be positive.",
                [nameof(ConnectTimeout), nameof(ReplyTimeout), nameof(UnavailableRetryInterval)]);
        }
    }
}

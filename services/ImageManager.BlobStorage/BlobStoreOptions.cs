using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ImageManager.BlobStorage;

/// <summary>Bound from the <c>BlobStore</c> section; the settings of the chosen <see cref="Kind"/> are required, checked on start.</summary>
public sealed partial class BlobStoreOptions : IValidatableObject
{
    public const string Section = "BlobStore";

    public BlobStoreKind Kind { get; set; } = BlobStoreKind.FileSystem;

    /// <summary>Root folder of the file-system store; one shared volume when several nodes run.</summary>
    public string Root { get; set; } = "";

    /// <summary>Size of the copy buffer. Memory per upload stays at about this, whatever the file size.</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int BufferSize { get; set; } = 1024 * 1024;

    /// <summary>The S3 store's settings (<see cref="BlobStoreKind.S3"/>).</summary>
    public S3BlobStoreOptions S3 { get; set; } = new();

    /// <summary>How long a resumable upload that receives nothing is kept before the sweep removes it.</summary>
    public TimeSpan ResumableUploadExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long the writer of a resumable upload in S3 keeps others out after its last renewal; it renews every third of
    /// this while it writes, however slowly the bytes come. Short, because a writer that died (a killed replica) keeps
    /// the upload from being resumed for this long.
    /// </summary>
    public TimeSpan ResumableUploadLease { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ResumableUploadExpiry <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}:ResumableUploadExpiry must be positive (e.g. 24:00:00).", [nameof(ResumableUploadExpiry)]);
        }

        // Against an expiry that is itself wrong, only the expiry is named.
        if (ResumableUploadLease < MinimumLease || (ResumableUploadExpiry > TimeSpan.Zero && ResumableUploadLease >= ResumableUploadExpiry))
        {
            yield return new ValidationResult(
                $"{Section}:ResumableUploadLease must be at least {MinimumLease} (renewed every third of it) and less than {Section}:ResumableUploadExpiry; got {ResumableUploadLease}.",
                [nameof(ResumableUploadLease)]);
        }

        if (Kind == BlobStoreKind.FileSystem)
        {
            if (string.IsNullOrWhiteSpace(Root))
            {
                yield return new ValidationResult($"{Section}:Root is required when {Section}:Kind is filesystem: the folder of the blobs.", [nameof(Root)]);
            }

            yield break;
        }

        if (!Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"{Section}:S3:ServiceUrl must be an absolute http(s) URL when {Section}:Kind is s3 (got '{S3.ServiceUrl}').", ["S3.ServiceUrl"]);
        }

        if (string.IsNullOrWhiteSpace(S3.AccessKey))
        {
            yield return new ValidationResult($"{Section}:S3:AccessKey is required when {Section}:Kind is s3.", ["S3.AccessKey"]);
        }

        if (string.IsNullOrWhiteSpace(S3.SecretKey))
        {
            yield return new ValidationResult($"{Section}:S3:SecretKey is required when {Section}:Kind is s3.", ["S3.SecretKey"]);
        }

        if (!BucketName().IsMatch(S3.Bucket))
        {
            yield return new ValidationResult(
                $"{Section}:S3:Bucket must be a bucket name (3 to 63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit; got '{S3.Bucket}').", ["S3.Bucket"]);
        }

        if (S3.PartSizeBytes is < MinimumPartSize or > MaximumPartSize)
        {
            yield return new ValidationResult(
                $"{Section}:S3:PartSizeBytes must be between {MinimumPartSize} (S3's smallest part) and {MaximumPartSize} (two are held in memory per upload); got {S3.PartSizeBytes}.", ["S3.PartSizeBytes"]);
        }
    }

    /// <summary>Renewed every second at this: shorter, and a renewal's round trip to the store would eat the margin.</summary>
    static readonly TimeSpan MinimumLease = TimeSpan.FromSeconds(3);

    const int MinimumPartSize = 5 * 1024 * 1024;
    const int MaximumPartSize = 512 * 1024 * 1024;

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}

using System.Globalization;

namespace ImageManager.BlobStorage;

/// <summary>
/// The mark a completed resumable upload leaves where its bytes were, until the caller has recorded the blob and
/// discards the upload. It keeps the upload complete for whoever asks, so that a late request cannot begin the upload
/// anew (and have its bytes accepted, then dropped), and it makes completion idempotent: completing again returns the
/// blob the first completion stored. <see cref="Blob"/> is null while the bytes are being moved into the store.
/// Written as <c>{length}</c> or <c>{length}-{sha256}</c>.
/// </summary>
internal sealed record CompletedUpload(long Length, StoredBlob? Blob)
{
    public PartialUpload Status => new(Length, Length);

    /// <summary>A request appending to the completed upload: its status when it brings no bytes at the end (a repeated last request), a conflict otherwise.</summary>
    public async Task<PartialUpload> AppendAsync(long offset, Stream content, CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        if (offset != Length || await content.ReadAsync(probe, cancellationToken) > 0)
        {
            throw new UploadConflictException($"The upload is complete ({Length} bytes) and is being assembled and validated; it takes no more bytes.");
        }

        return Status;
    }

    public string Format() => Blob is { } blob
        ? string.Create(CultureInfo.InvariantCulture, $"{Length}-{blob.Sha256}")
        : Length.ToString(CultureInfo.InvariantCulture);

    public static CompletedUpload? Parse(string text)
    {
        var parts = text.Trim().Split('-');
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return null;
        }

        return parts.Length switch
        {
            1 => new CompletedUpload(length, null),
            2 when parts[1].Length == 64 && parts[1].All(char.IsAsciiHexDigitLower) => new CompletedUpload(length, new StoredBlob(parts[1], null, length)),
            _ => null,
        };
    }
}

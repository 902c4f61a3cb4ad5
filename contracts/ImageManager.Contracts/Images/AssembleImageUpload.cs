namespace ImageManager.Contracts.Images;

/// <summary>
/// Every byte of an image's resumable upload has arrived: assemble the pieces into the blob store, record the
/// checksums and start validation. Sent by the Api replica that received the last byte, consumed by any Api replica.
/// </summary>
public record AssembleImageUpload
{
    public required Guid ImageId { get; init; }
    public required long SizeBytes { get; init; }

    /// <summary>Who brought the bytes, for the catalogue's <c>uploadedBy</c>.</summary>
    public required string UploadedBy { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

namespace ImageManager.Api.Images;

/// <summary>The answer to the last PATCH of a resumable upload: every byte is kept; assembly and validation follow.</summary>
public sealed record ResumableUploadReceived
{
    public required Guid Id { get; init; }

    /// <summary><c>queued</c> until the upload is assembled, then <c>validating</c>.</summary>
    public required string Status { get; init; }

    public required long SizeBytes { get; init; }
}

using Microsoft.AspNetCore.Http.Metadata;

namespace ImageManager.Api.Vims;

/// <summary>
/// The body limit of <c>PUT /api/v1/vims</c> alone (<c>Protection:BulkVimBodyLimitBytes</c>): ten thousand registrations
/// are a few MiB of JSON, above the 1 MiB every other JSON route keeps. Kestrel and the Api's early 413 both read it.
/// </summary>
public sealed class BulkVimBodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes;
}

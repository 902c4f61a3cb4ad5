using System.ComponentModel.DataAnnotations;

namespace ImageManager.Api.Protection;

/// <summary>
/// Limits that keep one caller from hurting the others: body sizes, request rate, slow clients, browsers from other
/// origins. Bound from the <c>Protection</c> section; every value has a default that suits an installation as it comes.
/// </summary>
public sealed class RequestProtectionOptions
{
    public const string Section = "Protection";

    /// <summary>Largest body of a JSON request; image bytes go to the upload endpoints, which take any size.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long JsonBodyLimitBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of <c>PUT /api/v1/vims</c> (up to 10,000 VIM registrations, a few MiB); that route only.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public long BulkVimBodyLimitBytes { get; set; } = 24 * 1024 * 1024;

    /// <summary>
    /// Requests per second a caller may keep up, and how many it may send at once beyond that. Counted by each Api replica
    /// on its own (in memory, no database on the request path): behind a balancer spreading a caller over N replicas, the
    /// caller gets up to N times these. Divide by the number of replicas where the total matters.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;

    /// <summary>How long a client may take to send its request headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A body slower than this (after <see cref="SlowBodyGracePeriod"/>) is cut off: a slow client holds no connection for long.</summary>
    [Range(1, int.MaxValue)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    public TimeSpan SlowBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Browser origins allowed to call the API (CORS); none by default, so pages elsewhere cannot.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.Api.Imports;

/// <summary>
/// What <c>web-download</c> imports may fetch, bound from the <c>Import</c> section. Nothing is allowed until an
/// operator names the hosts: the system must not become a way to reach whatever its network can reach.
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>URL schemes allowed, for example <c>https</c>.</summary>
    public string[] AllowedSchemes { get; set; } = [];

    /// <summary>Host names (exact, case-insensitive) or <c>*.domain</c> suffixes allowed; a redirect must land on one too.</summary>
    public string[] AllowedHosts { get; set; } = [];

    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 5;

    public bool Allows(Uri uri) =>
        uri.IsAbsoluteUri
        && (AllowedSchemes.Length == 0 ? uri.Scheme == Uri.UriSchemeHttps : AllowedSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        && AllowedHosts.Any(host => host.StartsWith("*.", StringComparison.Ordinal)
            ? uri.Host.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(uri.Host, host, StringComparison.OrdinalIgnoreCase));
}

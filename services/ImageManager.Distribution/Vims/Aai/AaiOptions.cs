using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Vims.Aai;

/// <summary>
/// Where ONAP A&amp;AI is and how to read its cloud regions; bound from the <c>Aai</c> section and checked on start. Unset
/// <see cref="BaseUrl"/>: no import. <see cref="Password"/> is a secret: never logged, never shown.
/// </summary>
public sealed class AaiOptions
{
    public const string Section = "Aai";

    /// <summary>
    /// A&amp;AI's address (e.g. <c>https://aai.onap:8443/</c>, or below a gateway's path); the regions are read from
    /// <c>{BaseUrl}aai/{ApiVersion}/cloud-infrastructure/cloud-regions</c>. No user info: the credentials go below.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The A&amp;AI REST version asked for; the fields read (cloud-region, esr-system-info) are the same from v11 to v32.</summary>
    [RegularExpression("^v[0-9]{1,3}$", ErrorMessage = "Aai:ApiVersion is A&AI's REST version, 'v' and a number (e.g. v32).")]
    public string ApiVersion { get; set; } = "v32";

    /// <summary>HTTP basic authentication at A&amp;AI (its own user, e.g. AAI); with <see cref="Password"/>, or neither.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Who Image Manager is to A&amp;AI: its <c>X-FromAppId</c> header, which A&amp;AI requires.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Aai:FromAppId is 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string FromAppId { get; set; } = "ImageManager";

    /// <summary>A PEM file of the CAs that A&amp;AI's certificate is checked against (ONAP's own CA), in place of the machine's store.</summary>
    public string? CaCertificatesFile { get; set; }

    /// <summary>Regions per page asked of A&amp;AI (<c>resultSize</c>); one page is one answer with every region's children.</summary>
    [Range(1, 10_000, ErrorMessage = "Aai:PageSize is 1 to 10000.")]
    public int PageSize { get; set; } = 500;

    /// <summary>Longest one request to A&amp;AI may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Aai:Timeout is from 1 second to 10 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the import also runs on its own, every <see cref="Interval"/> (off by default; the API call works either way).</summary>
    public bool Periodic { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Aai:Interval is from 1 second to 30 days.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Never the password.</summary>
    public override string ToString() => $"A&AI {BaseUrl} {ApiVersion} as {Username ?? "nobody"}";
}

using System.ComponentModel.DataAnnotations;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// Whether and how OCSP responders are asked about signing certificates (image and package signatures alike). Bound
/// from <c>Signatures:Ocsp</c>. A revocation list of the trust store that revokes a certificate always wins; a "good"
/// answer stands in for the issuer's list when that list is past its <c>nextUpdate</c>.
/// </summary>
public sealed class OcspOptions
{
    public const string Section = "Signatures:Ocsp";

    /// <summary><c>Off</c> (default), <c>IfAvailable</c> (no answer: the lists decide, and a warning is logged) or <c>Required</c> (no answer: not trusted).</summary>
    public OcspMode Mode { get; set; } = OcspMode.Off;

    /// <summary>
    /// The responder every certificate is asked at (an absolute http or https URL), instead of the one its Authority
    /// Information Access extension names: for a local responder or a relay where Validation cannot reach the vendors'.
    /// </summary>
    public Uri? Responder { get; set; }

    /// <summary>How long one question may take, connection included, before the responder counts as down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How old an answer without <c>nextUpdate</c> may be (from its <c>thisUpdate</c>) when it does not echo the request's
    /// nonce either (a pre-produced answer); older ones count as no answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many "good" answers are kept (each until its <c>nextUpdate</c>) so that a certificate is not asked about for every image.</summary>
    [Range(0, 1_000_000)]
    public int CachedAnswers { get; set; } = 10_000;
}

namespace ImageManager.Contracts.Recalls;

/// <summary>Why an image is recalled.</summary>
public static class RecallReasonKinds
{
    /// <summary>A vulnerability; <see cref="RecallReason.CveId"/> names it (<c>CVE-yyyy-nnnn…</c>).</summary>
    public const string Cve = "cve";

    /// <summary>The key the image was signed with was revoked.</summary>
    public const string RevokedKey = "revoked-key";

    /// <summary>The image is past its end of life.</summary>
    public const string EndOfLife = "end-of-life";

    /// <summary>Anything else, said in <see cref="RecallReason.Text"/>.</summary>
    public const string Other = "other";

    public static readonly string[] All = [Cve, RevokedKey, EndOfLife, Other];
}

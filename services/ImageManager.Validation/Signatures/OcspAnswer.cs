namespace ImageManager.Validation.Signatures;

/// <summary>
/// A responder's verified answer about one certificate: good, or revoked when (and why, by its RFC 5280 name); or no
/// answer, with <see cref="Problem"/> saying why (responder down, certificate unknown to it, an answer that does not
/// verify). A good answer's <see cref="NextUpdate"/> says until when it may be kept. <see cref="Responder"/> is the responder's address without credentials or query, safe to log.
/// </summary>
public sealed record OcspAnswer(OcspStatus Status, string Responder, DateTimeOffset? RevokedAt = null, string? Reason = null, string? Problem = null, DateTimeOffset? NextUpdate = null)
{
    public static OcspAnswer None(string responder, string problem) => new(OcspStatus.NoAnswer, responder, Problem: problem);
}

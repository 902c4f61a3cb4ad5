namespace ImageManager.Contracts.Recalls;

/// <summary>
/// Why an image is recalled: a <see cref="Kind"/> (<see cref="RecallReasonKinds"/>), the CVE id for <c>cve</c>, and free
/// text (required for <c>other</c>, optional otherwise; sanitised and at most 1,000 characters).
/// </summary>
public sealed record RecallReason
{
    public string? Kind { get; init; }
    public string? CveId { get; init; }
    public string? Text { get; init; }
}

namespace ImageManager.Contracts.Images;

/// <summary>
/// Body of <c>PATCH /api/v1/images/{id}</c>, a JSON merge patch (RFC 7396, <c>application/merge-patch+json</c>): its
/// members are the only fields a patch may change. An absent member keeps its value; <c>null</c> clears an optional one,
/// and a property set to <c>null</c> is removed. Any other member is refused by name.
/// </summary>
public sealed record ImagePatch
{
    public string? Description { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyDictionary<string, string?>? Properties { get; init; }
    public bool? Protected { get; init; }
    public string? Visibility { get; init; }

    /// <summary>The tenants a <c>shared</c> image is shared with.</summary>
    public IReadOnlyList<string>? SharedWith { get; init; }
    public DateOnly? EndOfLife { get; init; }
    public bool? ExcludeFromLatest { get; init; }
}

namespace ImageManager.Distribution.Vims;

/// <summary>Body of <c>POST /api/v1/vims</c>.</summary>
public sealed record RegisterVimRequest
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Endpoint { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

namespace ImageManager.Api.Images;

/// <summary>Body of <c>POST /api/v1/images/{id}/import</c>.</summary>
public sealed record ImportRequest
{
    public string? Method { get; init; }
    public string? Uri { get; init; }
}

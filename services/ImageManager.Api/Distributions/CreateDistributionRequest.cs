namespace ImageManager.Api.Distributions;

/// <summary>Body of <c>POST /api/v1/distributions</c>.</summary>
public sealed record CreateDistributionRequest
{
    public Guid? ImageId { get; init; }
    public IReadOnlyList<string>? VimIds { get; init; }
}

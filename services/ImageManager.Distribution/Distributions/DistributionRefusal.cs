namespace ImageManager.Distribution.Distributions;

/// <summary>Why a distribution was not accepted: the HTTP status, the request field at fault (if one is) and a readable detail.</summary>
public sealed record DistributionRefusal(int StatusCode, string? Field, string Detail, string? Title = null);

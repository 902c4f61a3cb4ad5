namespace ImageManager.Contracts.Distributions;

/// <summary>One image-VIM pair of a distribution, as the status API shows it.</summary>
public sealed record TargetResource(string VimId, string State, int Attempt, string? VimImageId, string? LastError, long BytesSent, DateTimeOffset UpdatedAt);
